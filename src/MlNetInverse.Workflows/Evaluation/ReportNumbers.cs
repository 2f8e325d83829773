using System.Globalization;
using System.Text.Json.Nodes;

namespace MlNetInverse.Workflows.Evaluation;

/// <summary>How the evaluation report writes numbers: percentages as "6.17%" like the paper, NaN as "-" in text and null in JSON.</summary>
internal static class ReportNumbers
{
    /// <summary>"6.17%" (two decimals, like Table I), or "-" when not a number.</summary>
    public static string Percent(double value) => double.IsFinite(value) ? value.ToString("F2", CultureInfo.InvariantCulture) + "%" : "-";

    /// <summary>A plain number with <paramref name="decimals"/> decimals, or "-".</summary>
    public static string Fixed(double value, int decimals) =>
        double.IsFinite(value) ? value.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) : "-";

    /// <summary>A skill ratio as "2.06", "inf" when the method's mean REP is 0, or "-" when not a number.</summary>
    public static string Skill(double value) => double.IsPositiveInfinity(value) ? "inf" : Fixed(value, 2);

    /// <summary>A confidence interval of a REP as "[1.02%, 1.81%]".</summary>
    public static string Interval(MlNetInverse.Physics.Statistics.ConfidenceInterval interval) => $"[{Percent(interval.Lower)}, {Percent(interval.Upper)}]";

    /// <summary>A target absorption as "0.55".</summary>
    public static string Target(double target) => target.ToString("0.00##", CultureInfo.InvariantCulture);

    /// <summary>A JSON number rounded to 6 decimals, or null when not finite (JSON has no NaN).</summary>
    public static JsonNode? Json(double value) => double.IsFinite(value) ? JsonValue.Create(Math.Round(value, 6)) : null;
}
