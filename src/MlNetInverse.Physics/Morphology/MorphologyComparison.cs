using System.Globalization;
using MlNetInverse.Physics.Microstructures;

namespace MlNetInverse.Physics.Morphology;

/// <summary>
/// Generated maps against the data at one target: per statistic the distance to the data next to the data's own spread
/// (<see cref="MorphologyYardstick"/>), and whether it meets the <see cref="MorphologyBar"/>:
/// S2, spectrum and component counts within SpreadFactor x spread; the spectrum's peak within that or one bin;
/// no more isolated pixels than the data (beyond SpreadFactor x spread); a seam ratio between MinSeamRatio and MaxSeamRatio (no seam, no frame).
/// </summary>
/// <remarks>
/// Counts are rare events in this data (most maps near a target have exactly one component of a phase and no isolated
/// pixel), so halves of the data often agree exactly and their spread is 0. A set of G maps cannot resolve less than
/// one event in one map, so for the counts the spread is raised to that resolution before the factor applies: 1 / G
/// components per map, 1 / (G N^2) for the isolated-pixel rate.
/// </remarks>
public sealed class MorphologyComparison
{
    private MorphologyComparison(MorphologyStatistics generated, MorphologyYardstick yardstick, MorphologyBar bar, IReadOnlyList<MorphologyCheck> checks)
    {
        Generated = generated;
        Yardstick = yardstick;
        Bar = bar;
        Checks = checks;
        _dataControl = new Lazy<MorphologyDataControl?>(() => yardstick.DataControl(generated.Count, bar));
    }

    private readonly Lazy<MorphologyDataControl?> _dataControl;

    /// <summary>The generated set's statistics.</summary>
    public MorphologyStatistics Generated { get; }

    /// <summary>The data at the target and its spread.</summary>
    public MorphologyYardstick Yardstick { get; }

    /// <summary>The bar applied.</summary>
    public MorphologyBar Bar { get; }

    /// <summary>One check per <see cref="MorphologyStatistic"/>, in enum order.</summary>
    public IReadOnlyList<MorphologyCheck> Checks { get; }

    /// <summary>True when every check is met; false when one is missed or the data cannot judge one.</summary>
    public bool Met => Checks.All(c => c.Met == true);

    /// <summary>True when the data can judge every check (at least 2 maps in the window).</summary>
    public bool Assessable => Checks.All(c => c.Met is not null);

    /// <summary>
    /// The bar applied to the data itself with as many maps as this set holds (<see cref="MorphologyDataControl"/>):
    /// how often a generator exactly like the data meets it at this size. Drawn on first use; null when the window holds
    /// fewer than twice the set's maps.
    /// </summary>
    public MorphologyDataControl? DataControl => _dataControl.Value;

    /// <summary>The statistics that missed the bar.</summary>
    public IEnumerable<MorphologyStatistic> Missed => Checks.Where(c => c.Met == false).Select(c => c.Statistic);

    /// <summary>Per statistic, how many of <paramref name="comparisons"/> missed it (statistics none missed are absent), in enum order.</summary>
    public static IReadOnlyDictionary<MorphologyStatistic, int> CountMisses(IEnumerable<MorphologyComparison> comparisons) =>
        new SortedDictionary<MorphologyStatistic, int>(comparisons.SelectMany(c => c.Missed).GroupBy(s => s).ToDictionary(g => g.Key, g => g.Count()));

    /// <summary>Measures <paramref name="generated"/> and compares it with <paramref name="yardstick"/>.</summary>
    public static MorphologyComparison Of(IReadOnlyList<Microstructure> generated, MorphologyYardstick yardstick, MorphologyBar? bar = null) =>
        Of(MorphologyStatistics.Of(generated), yardstick, bar);

    /// <summary>Compares measured generated statistics with <paramref name="yardstick"/>.</summary>
    /// <exception cref="ArgumentException">Maps of another size than the data's.</exception>
    public static MorphologyComparison Of(MorphologyStatistics generated, MorphologyYardstick yardstick, MorphologyBar? bar = null)
    {
        ArgumentNullException.ThrowIfNull(generated);
        ArgumentNullException.ThrowIfNull(yardstick);
        bar ??= MorphologyBar.Default;
        var data = yardstick.Data;
        var distance = data is null ? null : generated.DistanceTo(data);
        var spread = yardstick.SpreadFor(generated.Count);
        double f = bar.SpreadFactor;
        string factor = f.ToString("0.##", CultureInfo.InvariantCulture);
        double Nan(MorphologyDistance? d, Func<MorphologyDistance, double> pick) => d is null ? double.NaN : pick(d);

        double oneMap = 1.0 / generated.Count, onePixel = oneMap / (generated.Size * generated.Size);

        MorphologyCheck WithinSpread(MorphologyStatistic statistic, double generatedValue, double dataValue, Func<MorphologyDistance, double> pick, double resolution = 0)
        {
            double d = Nan(distance, pick), s = Nan(spread, pick), limit = f * Math.Max(s, resolution);
            return new MorphologyCheck(statistic, generatedValue, dataValue, d, s, d, limit, spread is null ? null : d <= limit,
                resolution > 0 ? $"distance <= {factor} x max(spread, one per map in the set)" : $"distance <= {factor} x spread");
        }

        var checks = new List<MorphologyCheck>
        {
            WithinSpread(MorphologyStatistic.TwoPointCorrelation, double.NaN, double.NaN, d => d.TwoPointCorrelation),
            WithinSpread(MorphologyStatistic.Spectrum, double.NaN, double.NaN, d => d.Spectrum),
        };

        double peakDistance = Nan(distance, d => d.SpectrumPeakRadius), peakSpread = Nan(spread, d => d.SpectrumPeakRadius);
        double peakLimit = Math.Max(f * peakSpread, bar.PeakToleranceBins);
        checks.Add(new MorphologyCheck(MorphologyStatistic.SpectrumPeak, generated.SpectrumPeakRadius, data?.SpectrumPeakRadius ?? double.NaN,
            peakDistance, peakSpread, peakDistance, peakLimit, spread is null ? null : peakDistance <= peakLimit,
            $"distance <= max({factor} x spread, {bar.PeakToleranceBins.ToString("0.##", CultureInfo.InvariantCulture)} bin)"));

        double dataIsolated = data?.IsolatedPixelRate ?? double.NaN;
        double excess = generated.IsolatedPixelRate - dataIsolated, isolatedSpread = Nan(spread, d => d.IsolatedPixelRate);
        double isolatedLimit = f * Math.Max(isolatedSpread, onePixel);
        checks.Add(new MorphologyCheck(MorphologyStatistic.IsolatedPixels, generated.IsolatedPixelRate, dataIsolated, excess, isolatedSpread, excess,
            isolatedLimit, spread is null ? null : excess <= isolatedLimit, $"generated - data <= {factor} x max(spread, one pixel in the set)"));

        checks.Add(WithinSpread(MorphologyStatistic.ComponentsMaterialA, generated.ComponentsMaterialA, data?.ComponentsMaterialA ?? double.NaN, d => d.ComponentsMaterialA, oneMap));
        checks.Add(WithinSpread(MorphologyStatistic.ComponentsMaterialB, generated.ComponentsMaterialB, data?.ComponentsMaterialB ?? double.NaN, d => d.ComponentsMaterialB, oneMap));

        // The seam bar is absolute: a periodic cell's edge is one more interior line, whatever the data's noise.
        double seam = generated.Seam.Ratio;
        checks.Add(new MorphologyCheck(MorphologyStatistic.PeriodicSeam, seam, data?.Seam.Ratio ?? double.NaN, Nan(distance, d => d.SeamRatio),
            Nan(spread, d => d.SeamRatio), seam, bar.MaxSeamRatio, seam <= bar.MaxSeamRatio && seam >= bar.MinSeamRatio,
            $"generated seam ratio in [{bar.MinSeamRatio.ToString("0.##", CultureInfo.InvariantCulture)}, {bar.MaxSeamRatio.ToString("0.##", CultureInfo.InvariantCulture)}]"));
        return new MorphologyComparison(generated, yardstick, bar, checks);
    }
}
