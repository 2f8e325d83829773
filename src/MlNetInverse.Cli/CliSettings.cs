using System.ComponentModel;
using Spectre.Console.Cli;

namespace MlNetInverse.Cli;

/// <summary>Options every command accepts.</summary>
internal class CliSettings : CommandSettings
{
    /// <summary>The flag that turns on stack traces; read before parsing so parse errors honour it too.</summary>
    public const string VerboseFlag = "--verbose";

    [CommandOption(VerboseFlag)]
    [Description("Print the full exception (with stack trace) when a command fails. Same as MLNET_INVERSE_DEBUG=1.")]
    public bool Verbose { get; set; }
}
