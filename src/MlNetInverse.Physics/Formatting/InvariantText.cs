using System.Globalization;

namespace MlNetInverse.Physics.Formatting;

/// <summary>
/// Culture-invariant text for messages, file metadata and reports, the one copy every layer imports with
/// <c>using static</c>: output must not change with the machine's locale (a German locale would write "0,5").
/// Floating-point values use the round-trip format, so a message shows the exact value that failed a check.
/// </summary>
internal static class InvariantText
{
    /// <summary>An interpolated string formatted with the invariant culture.</summary>
    public static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>The shortest text that parses back to <paramref name="value"/> exactly.</summary>
    public static string Text(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>The shortest text that parses back to <paramref name="value"/> exactly, as a float.</summary>
    public static string Text(float value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>An integer in invariant digits.</summary>
    public static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
