using System.ComponentModel;
using System.Globalization;
using MlNetInverse.Cli.Runtime;
using MlNetInverse.Models.Benchmarks;
using MlNetInverse.Physics.Runtime;
using Spectre.Console;
using Spectre.Console.Cli;

namespace MlNetInverse.Cli.Commands;

/// <summary>
/// <c>bench train</c>: times the VQ-VAE train step and decode in TorchSharp with the PyTorch peer script's architecture
/// and workload, runs the peer script (pytorch_vqvae_bench.py, shipped next to the executable) in the same command when
/// PyTorch is available, and prints the TorchSharp/PyTorch throughput ratios.
/// </summary>
internal sealed class BenchTrainCommand : Command<BenchTrainCommand.Settings>
{
    /// <summary>The peer script, relative to the executable's folder.</summary>
    public static readonly string PeerScriptRelativePath = Path.Combine("Benchmarks", "pytorch_vqvae_bench.py");

    /// <summary>The longest the peer script may run.</summary>
    public static readonly TimeSpan PeerTimeout = TimeSpan.FromMinutes(10);

    private readonly CliOutput _output;

    public BenchTrainCommand(CliOutput output) => _output = output;

    /// <summary>Options of <c>bench train</c>.</summary>
    public sealed class Settings : CliSettings
    {
        [CommandOption("--codebook-size <K>")]
        [Description("Codebook size K (codes).")]
        [DefaultValue(512)]
        public int CodebookSize { get; set; } = 512;

        [CommandOption("--code-dim <D>")]
        [Description("Code dimension D (latent channels).")]
        [DefaultValue(16)]
        public int CodeDimension { get; set; } = 16;

        [CommandOption("--threads <N>")]
        [Description("Torch intra-op threads (both frameworks).")]
        [DefaultValue(1)]
        public int Threads { get; set; } = 1;

        [CommandOption("--batch <N>")]
        [Description("Images per TorchSharp step (the peer script always uses 128).")]
        [DefaultValue(128)]
        public int Batch { get; set; } = 128;

        [CommandOption("--steps <N>")]
        [Description("Timed TorchSharp steps after the warm-up (the peer script times 20).")]
        [DefaultValue(20)]
        public int Steps { get; set; } = 20;

        [CommandOption("--warmup <N>")]
        [Description("Untimed TorchSharp steps first (the peer script uses 3).")]
        [DefaultValue(3)]
        public int WarmUp { get; set; } = 3;

        [CommandOption("--pytorch <MODE>")]
        [Description("Run the PyTorch peer too: auto (when the interpreter can import torch), on (fail without it) or off.")]
        [DefaultValue("auto")]
        public string PyTorch { get; set; } = "auto";

        [CommandOption("--python <PATH>")]
        [Description("Python interpreter for the peer script.")]
        [DefaultValue(PyTorchPeerBenchmark.DefaultPython)]
        public string Python { get; set; } = PyTorchPeerBenchmark.DefaultPython;

        public override ValidationResult Validate()
        {
            try
            {
                OptionValues.AtLeastOne("--codebook-size", CodebookSize);
                if (CodebookSize < 2) throw new FormatException($"--codebook-size must be at least 2; got {CodebookSize}.");
                OptionValues.AtLeastOne("--code-dim", CodeDimension);
                OptionValues.AtLeastOne("--threads", Threads);
                OptionValues.AtLeastOne("--batch", Batch);
                OptionValues.AtLeastOne("--steps", Steps);
                if (WarmUp < 0) throw new FormatException($"--warmup must be at least 0; got {WarmUp}.");
                if (PyTorch is not ("auto" or "on" or "off")) throw new FormatException($"--pytorch must be auto, on or off; got '{PyTorch}'.");
            }
            catch (FormatException e)
            {
                return ValidationResult.Error(e.Message);
            }
            return ValidationResult.Success();
        }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var console = _output.Console;
        string script = Path.Combine(AppContext.BaseDirectory, PeerScriptRelativePath);
        string? skipped = null;
        bool runPeer = settings.PyTorch != "off";
        if (runPeer && !PyTorchPeerBenchmark.IsAvailable(settings.Python))
            skipped = $"{settings.Python} cannot import torch ({PyTorchPeerBenchmark.InstallHint})";
        else if (runPeer && !File.Exists(script))
            skipped = $"the peer script {script} is missing from this build";
        if (skipped is not null && settings.PyTorch == "on")
            throw new InvalidOperationException($"--pytorch on: {skipped}.");

        console.MarkupLineInterpolated(
            $"VQ-VAE train step, peer architecture (64x64 -> 16x16x{settings.CodeDimension}, K={settings.CodebookSize}), batch {settings.Batch}, {settings.Threads} thread(s), allocator: {FastAllocator.Describe()}");
        TrainStepBenchmarkResult torchSharp;
        using (new TorchThreadScope(settings.Threads))
        {
            torchSharp = VqVaeTrainStepBenchmark.Run(new TrainStepBenchmarkOptions
            {
                CodebookSize = settings.CodebookSize,
                CodeDimension = settings.CodeDimension,
                BatchSize = settings.Batch,
                Steps = settings.Steps,
                WarmUpSteps = settings.WarmUp,
            }, cancellationToken);
        }
        TrainStepBenchmarkResult? pyTorch = null;
        if (runPeer && skipped is null)
            pyTorch = PyTorchPeerBenchmark.Run(script, settings.CodebookSize, settings.CodeDimension, settings.Threads, PeerTimeout, settings.Python, cancellationToken);

        console.Write(Table(torchSharp, pyTorch));
        if (pyTorch is null)
        {
            console.MarkupLineInterpolated($"PyTorch comparison skipped: {skipped ?? "--pytorch off"}.");
            return CliErrors.Success;
        }
        double train = torchSharp.TrainImagesPerSecond / pyTorch.TrainImagesPerSecond;
        double decode = torchSharp.DecodeImagesPerSecond / pyTorch.DecodeImagesPerSecond;
        console.MarkupLineInterpolated($"train  TorchSharp/PyTorch = {Ratio(train)}x (images/s; bar >= 1.0x at 1 thread: {(train >= 1 ? "met" : "NOT met")})");
        console.MarkupLineInterpolated($"decode TorchSharp/PyTorch = {Ratio(decode)}x (images/s)");
        if (torchSharp.BatchSize != pyTorch.BatchSize)
            console.MarkupLineInterpolated($"note: batches differ (TorchSharp {torchSharp.BatchSize}, PyTorch {pyTorch.BatchSize}); ratios compare images/s.");
        return CliErrors.Success;
    }

    private static Table Table(TrainStepBenchmarkResult torchSharp, TrainStepBenchmarkResult? pyTorch)
    {
        var table = new Table().AddColumn("").AddColumn("TorchSharp");
        if (pyTorch is not null) table.AddColumn("PyTorch");
        void Row(string name, Func<TrainStepBenchmarkResult, string> value)
        {
            var cells = new List<string> { name, Markup.Escape(value(torchSharp)) };
            if (pyTorch is not null) cells.Add(Markup.Escape(value(pyTorch)));
            table.AddRow(cells.ToArray());
        }
        Row("framework", r => r.Framework);
        Row("batch", r => r.BatchSize.ToString(CultureInfo.InvariantCulture));
        Row("threads", r => r.Threads.ToString(CultureInfo.InvariantCulture));
        Row("train step median ms", r => r.TrainStepMedianMs.ToString("F1", CultureInfo.InvariantCulture));
        Row("train step min / max ms", r => $"{r.TrainStepMinMs.ToString("F1", CultureInfo.InvariantCulture)} / {r.TrainStepMaxMs.ToString("F1", CultureInfo.InvariantCulture)}");
        Row("train images/s", r => r.TrainImagesPerSecond.ToString("F0", CultureInfo.InvariantCulture));
        Row("decode median ms", r => r.DecodeMedianMs.ToString("F2", CultureInfo.InvariantCulture));
        Row("decode images/s", r => r.DecodeImagesPerSecond.ToString("F0", CultureInfo.InvariantCulture));
        return table;
    }

    private static string Ratio(double value) => value.ToString("F2", CultureInfo.InvariantCulture);
}
