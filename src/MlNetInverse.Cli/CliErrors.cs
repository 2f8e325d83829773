using System.Reflection;
using System.Text.RegularExpressions;

namespace MlNetInverse.Cli;

/// <summary>Exit codes and the one-line error report every failure ends in.</summary>
internal static partial class CliErrors
{
    /// <summary>Exit code of a successful run.</summary>
    public const int Success = 0;

    /// <summary>Exit code of bad input or a runtime error.</summary>
    public const int Failure = 1;

    /// <summary>Exit code of a run cancelled with Ctrl-C (128 + SIGINT, as shells report it).</summary>
    public const int Cancelled = 130;

    /// <summary>Set to 1 to always print stack traces.</summary>
    public const string DebugVariable = "MLNET_INVERSE_DEBUG";

    /// <summary>True when stack traces were asked for on the command line or in the environment.</summary>
    public static bool WantsStackTraces(IEnumerable<string> args) =>
        args.Contains(CliSettings.VerboseFlag) || Environment.GetEnvironmentVariable(DebugVariable) == "1";

    /// <summary>Writes one line naming the problem (plus the full exception when verbose) and returns the exit code.</summary>
    /// <param name="exception">What went wrong.</param>
    /// <param name="error">Where the line goes (stderr).</param>
    /// <param name="verbose">Also write the full exception with its stack trace.</param>
    /// <param name="args">The command line, used to name the option whose value could not be converted.</param>
    public static int Report(Exception exception, TextWriter error, bool verbose, IReadOnlyList<string>? args = null)
    {
        var cause = Unwrap(exception);
        int exitCode;
        if (cause is OperationCanceledException)
        {
            error.WriteLine("cancelled.");
            exitCode = Cancelled;
        }
        else
        {
            error.WriteLine("error: " + OneLine(DescribeConversionFailure(exception, args ?? []) ?? NativeFailure(cause) ?? cause.Message));
            exitCode = Failure;
        }
        if (verbose) error.WriteLine(exception.ToString());
        error.Flush();
        return exitCode;
    }

    /// <summary>Collapses a possibly multi-line message to one line.</summary>
    public static string OneLine(string message)
    {
        var parts = message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return parts.Length == 0 ? "unknown error." : string.Join(" ", parts);
    }

    /// <summary>
    /// Spectre reports a value it cannot convert as "Failed to convert 'abc' to Nullable`1", naming neither the option
    /// nor the expected type; this finds the option on the command line and the type in the inner exception.
    /// Returns null for any other exception.
    /// </summary>
    public static string? DescribeConversionFailure(Exception exception, IReadOnlyList<string> args)
    {
        var failed = ConversionFailed().Match(exception.Message);
        if (!failed.Success) return null;
        string value = failed.Groups["value"].Value;
        string? type = null;
        for (var inner = exception.InnerException; inner is not null && type is null; inner = inner.InnerException)
        {
            var expected = ExpectedType().Match(inner.Message);
            if (expected.Success) type = expected.Groups["type"].Value;
        }
        string expectation = type switch
        {
            "Double" or "Single" or "Decimal" => "a number",
            "Int32" or "Int64" or "Int16" or "Byte" or "UInt32" or "UInt64" => "a whole number",
            "Boolean" => "true or false",
            null => "a valid value",
            _ => $"a valid {type}",
        };
        string? option = null;
        for (int i = 0; i < args.Count && option is null; i++)
        {
            if (args[i] == value && i > 0 && args[i - 1].StartsWith('-')) option = args[i - 1];
            else if (args[i].StartsWith('-') && (args[i].EndsWith("=" + value, StringComparison.Ordinal) || args[i].EndsWith(":" + value, StringComparison.Ordinal)))
                option = args[i][..(args[i].Length - value.Length - 1)];
        }
        return option is null ? $"'{value}' is not {expectation}." : $"{option}: '{value}' is not {expectation}.";
    }

    [GeneratedRegex(@"^Failed to convert '(?<value>.*)' to ", RegexOptions.Singleline)]
    private static partial Regex ConversionFailed();

    [GeneratedRegex(@"is not a valid value for (?<type>\w+)")]
    private static partial Regex ExpectedType();

    /// <summary>
    /// libtorch reports failures with its C++ frame dump appended ("Exception raised from ... frame #0: ..."): keeps the
    /// sentence that names the problem and says where the dump is, also when a wrapper (e.g. "Sample 12 ... failed: ")
    /// quoted the native message in its own. Null when the message holds no dump.
    /// </summary>
    public static string? NativeFailure(Exception exception)
    {
        const string dump = "Exception raised from";
        int cut = exception.Message.IndexOf(dump, StringComparison.Ordinal);
        if (cut < 0) return null;
        string prefix = exception is System.Runtime.InteropServices.ExternalException ? "libtorch failed: " : "";
        return $"{prefix}{exception.Message[..cut].Trim()} (run with {CliSettings.VerboseFlag} for the native stack).";
    }

    // Wrappers add nothing a user can act on; the innermost single cause names the problem.
    private static Exception Unwrap(Exception exception)
    {
        while (true)
        {
            switch (exception)
            {
                case AggregateException { InnerExceptions.Count: >= 1 } aggregate:
                    // Parallel workers (one per wavelength, say) often fail alike: the first cause names the problem.
                    exception = aggregate.InnerExceptions.FirstOrDefault(e => e is not OperationCanceledException) ?? aggregate.InnerExceptions[0];
                    continue;
                case TargetInvocationException { InnerException: { } inner }:
                    exception = inner;
                    continue;
                default:
                    return exception;
            }
        }
    }
}
