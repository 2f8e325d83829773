using Spectre.Console;

namespace MlNetInverse.Cli;

/// <summary>
/// Where commands write: <see cref="Console"/> for human-readable Spectre output (tables, progress) on stdout,
/// <see cref="Out"/> for raw machine-readable text on stdout (JSON), <see cref="Error"/> for warnings and cancellation notes.
/// Injected into every command so tests can capture all three.
/// </summary>
internal sealed class CliOutput
{
    public CliOutput(IAnsiConsole console, TextWriter output, TextWriter error)
    {
        Console = console;
        Out = output;
        Error = error;
    }

    /// <summary>Spectre console on stdout.</summary>
    public IAnsiConsole Console { get; }

    /// <summary>Raw stdout.</summary>
    public TextWriter Out { get; }

    /// <summary>Raw stderr.</summary>
    public TextWriter Error { get; }
}
