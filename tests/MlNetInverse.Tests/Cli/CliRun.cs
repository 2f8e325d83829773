using MlNetInverse.Cli;

namespace MlNetInverse.Tests.Cli;

/// <summary>One in-process run of the mlnet-inverse app with captured stdout and stderr.</summary>
internal sealed record CliRun(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>Non-empty lines written to stderr.</summary>
    public string[] StderrLines => Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public static CliRun Of(params string[] args) => Of(CancellationToken.None, args);

    public static CliRun Of(CancellationToken cancellationToken, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int exitCode = CliApp.Run(args, stdout, stderr, cancellationToken);
        return new CliRun(exitCode, stdout.ToString(), stderr.ToString());
    }
}
