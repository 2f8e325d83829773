using System.Globalization;
using System.Text;
using MlNetInverse.Physics.Optics;

namespace MlNetInverse.Physics.Rcwa;

/// <summary>Result of a <see cref="ConvergenceStudy"/>, with the relative label changes it is judged by.</summary>
public sealed record ConvergenceReport(OpticalStack Stack, int PatternCount, IReadOnlyList<int> Harmonics, IReadOnlyList<ConvergenceRun> Runs)
{
    /// <summary>The run at one setting.</summary>
    public ConvergenceRun Run(FourierFactorization factorization, int harmonics) =>
        Runs.Single(r => r.Factorization == factorization && r.Harmonics == harmonics);

    /// <summary>Mean and max over patterns of |a - b| / |b|.</summary>
    public static (double Mean, double Max) RelativeChange(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        var changes = a.Zip(b, (x, y) => Math.Abs(x - y) / Math.Abs(y)).ToArray();
        return (changes.Average(), changes.Max());
    }

    /// <summary>Label change from each harmonic count to the next one, per factorization.</summary>
    public IEnumerable<(FourierFactorization Factorization, int From, int To, double Mean, double Max)> NextHarmonicChanges()
    {
        foreach (var f in new[] { FourierFactorization.Laurent, FourierFactorization.Li })
            for (int i = 0; i + 1 < Harmonics.Count; i++)
            {
                var (mean, max) = RelativeChange(Run(f, Harmonics[i]).Labels, Run(f, Harmonics[i + 1]).Labels);
                yield return (f, Harmonics[i], Harmonics[i + 1], mean, max);
            }
    }

    /// <summary>Markdown tables: label per setting, change to the next harmonic count, Laurent vs Li.</summary>
    public string ToMarkdown()
    {
        var c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine(c, $"Convergence study: stack '{Stack.Name}', {PatternCount} patterns, {Stack.WavelengthsNm.Count} wavelengths.");
        sb.AppendLine();
        sb.AppendLine("| factorization | nG | mean label | s per pattern |");
        sb.AppendLine("|---|---|---|---|");
        foreach (var r in Runs) sb.AppendLine(c, $"| {r.Factorization} | {r.Harmonics} | {r.Labels.Average():F4} | {r.SecondsPerPattern:F2} |");
        sb.AppendLine();
        sb.AppendLine("| factorization | nG -> next | mean relative change | max relative change |");
        sb.AppendLine("|---|---|---|---|");
        foreach (var (f, from, to, mean, max) in NextHarmonicChanges())
            sb.AppendLine(c, $"| {f} | {from} -> {to} | {mean * 100:F2} % | {max * 100:F2} % |");
        sb.AppendLine();
        sb.AppendLine("| nG | Laurent vs Li, mean | Laurent vs Li, max |");
        sb.AppendLine("|---|---|---|");
        foreach (int nG in Harmonics)
        {
            var (mean, max) = RelativeChange(Run(FourierFactorization.Laurent, nG).Labels, Run(FourierFactorization.Li, nG).Labels);
            sb.AppendLine(c, $"| {nG} | {mean * 100:F2} % | {max * 100:F2} % |");
        }
        return sb.ToString();
    }
}
