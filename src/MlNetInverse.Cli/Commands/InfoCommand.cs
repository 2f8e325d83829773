using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using MlNetInverse.Cli.Runtime;
using MlNetInverse.Physics.Runtime;
using Spectre.Console;
using Spectre.Console.Cli;
using TorchSharp;

namespace MlNetInverse.Cli.Commands;

/// <summary><c>info</c>: versions, the allocator in use, oneDNN's instruction-set cap, torch threads and CUDA availability.</summary>
internal sealed class InfoCommand : Command<CliSettings>
{
    private readonly CliOutput _output;

    public InfoCommand(CliOutput output) => _output = output;

    public override int Execute(CommandContext context, CliSettings settings, CancellationToken cancellationToken)
    {
        var table = new Table().HideHeaders().AddColumns("", "");
        void Row(string name, string value) => table.AddRow(Markup.Escape(name), Markup.Escape(value));
        Row("mlnet-inverse", CliApp.Version);
        Row(".NET", RuntimeInformation.FrameworkDescription);
        Row("OS", $"{RuntimeInformation.OSDescription} ({RuntimeInformation.ProcessArchitecture})");
        Row("TorchSharp", VersionOf(typeof(torch).Assembly));
        Row("libtorch", torch.__version__);
        Row("ML.NET", VersionOf(typeof(Microsoft.ML.MLContext).Assembly));
        Row("allocator", FastAllocator.Describe());
        Row("CPU kernels (oneDNN ISA cap)", MlNetInverse.Physics.Runtime.CpuKernelIsa.Describe());
        Row("idle OpenMP threads", MlNetInverse.Physics.Runtime.OpenMpWaitPolicy.Describe());
        Row("torch threads", torch.get_num_threads().ToString(CultureInfo.InvariantCulture));
        Row("CUDA available", torch.cuda.is_available() ? "yes" : "no");
        _output.Console.Write(table);
        return CliErrors.Success;
    }

    /// <summary>The informational version of an assembly without the source-revision suffix.</summary>
    public static string VersionOf(Assembly assembly)
    {
        var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? assembly.GetName().Version?.ToString()
            ?? "unknown";
        int plus = version.IndexOf('+');
        return plus < 0 ? version : version[..plus];
    }
}
