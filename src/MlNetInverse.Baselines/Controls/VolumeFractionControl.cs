using MlNetInverse.Baselines.Shared;
using MlNetInverse.Models.Training;
using MlNetInverse.Physics.Datasets;
using MlNetInverse.Physics.Microstructures;
using MlNetInverse.Physics.Statistics;

namespace MlNetInverse.Baselines.Controls;

/// <summary>
/// The volume-fraction control, a learning-free reference for every inverse-design method: fit the label as a smooth
/// function of volume fraction (VF) on the training rows (a polynomial whose degree 5-fold cross-validation chooses),
/// then for a target take the VF whose fitted label is closest to it and draw a fresh GRF at that VF with ring mean and
/// width drawn uniformly from the dataset's ranges, one per design. A method that learned morphology beats it; one
/// that only learned VF does not.
/// </summary>
/// <remarks>
/// The VF is searched over every fraction a map can realise, k / S^2, inside the training VF range (ties to the lower
/// VF), so the map has exactly the VF chosen. Design n of a target draws its ring parameters and GRF seed from a
/// SplitMix64 stream keyed by (seed, target, n): the same (target, seed) gives the same designs whatever the count,
/// and asking for more only appends designs. Not an <see cref="IInverseDesignMethod"/>: the fit takes milliseconds,
/// so there is nothing worth saving.
/// </remarks>
public sealed class VolumeFractionControl
{
    private readonly PolynomialRegression _fit;
    private readonly GaussianRandomFieldGenerator _generator;

    private VolumeFractionControl(VolumeFractionControlOptions options, CrossValidatedFit fit, ParameterRange trainingRange, int rows)
    {
        Options = options;
        _fit = fit.Model;
        Degree = fit.Degree;
        CrossValidatedR2 = fit.CrossValidatedR2;
        TrainingVolumeFraction = trainingRange;
        TrainingRows = rows;
        _generator = new GaussianRandomFieldGenerator(options.ImageSize);
    }

    /// <summary>The method's name on the command line.</summary>
    public string Name => ControlNames.VolumeFraction;

    /// <summary>The settings.</summary>
    public VolumeFractionControlOptions Options { get; }

    /// <summary>Degree of the fitted polynomial (chosen by cross-validation).</summary>
    public int Degree { get; }

    /// <summary>Cross-validated R^2 of label ~ VF on the training rows: the share of the label's variance VF alone explains.</summary>
    public double CrossValidatedR2 { get; }

    /// <summary>Smallest and largest VF of the training rows: the range the control designs in.</summary>
    public ParameterRange TrainingVolumeFraction { get; }

    /// <summary>Training rows the fit saw.</summary>
    public int TrainingRows { get; }

    /// <summary>Fits the control on the training rows' volume fractions and labels.</summary>
    /// <param name="volumeFractions">Each training map's volume fraction (its share of material-A pixels).</param>
    /// <param name="labels">Each training map's absorption label.</param>
    /// <param name="options">Settings; null for the defaults.</param>
    /// <exception cref="ArgumentException">Lengths that differ, fewer rows than folds, a non-finite value, or invalid options.</exception>
    public static VolumeFractionControl Fit(IReadOnlyList<double> volumeFractions, IReadOnlyList<double> labels, VolumeFractionControlOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(volumeFractions);
        ArgumentNullException.ThrowIfNull(labels);
        options ??= new VolumeFractionControlOptions();
        options.Validate();
        if (volumeFractions.Count != labels.Count)
            throw new ArgumentException($"{volumeFractions.Count} volume fractions but {labels.Count} labels; give one of each per training row.", nameof(labels));
        if (volumeFractions.Count < options.Folds)
            throw new ArgumentException($"The control needs at least {options.Folds} training rows (one per fold); got {volumeFractions.Count}.", nameof(volumeFractions));
        if (volumeFractions.Concat(labels).Any(v => !double.IsFinite(v)))
            throw new ArgumentException("Every volume fraction and label must be finite.", nameof(volumeFractions));
        var fit = CrossValidatedRegression.Fit(volumeFractions.Select(v => new[] { v }).ToArray(), labels.ToArray(), options.MaxDegree, options.Folds, options.FitSeed);
        return new VolumeFractionControl(options, fit, new ParameterRange(volumeFractions.Min(), volumeFractions.Max()), volumeFractions.Count);
    }

    /// <summary>The fitted label at volume fraction <paramref name="volumeFraction"/>.</summary>
    public double PredictedAbsorption(double volumeFraction) => _fit.Predict(volumeFraction);

    /// <summary>
    /// The realisable VF (k / S^2) inside the training VF range whose fitted label is closest to
    /// <paramref name="target"/>; the lower VF on ties.
    /// </summary>
    public double VolumeFractionFor(double target)
    {
        int pixels = Options.ImageSize * Options.ImageSize;
        int low = Math.Max(1, (int)Math.Ceiling(TrainingVolumeFraction.Min * pixels - 1e-9));
        int high = Math.Min(pixels - 1, (int)Math.Floor(TrainingVolumeFraction.Max * pixels + 1e-9));
        if (high < low) high = low;
        int best = low;
        double bestDistance = double.PositiveInfinity;
        for (int k = low; k <= high; k++)
        {
            double distance = Math.Abs(PredictedAbsorption((double)k / pixels) - target);
            if (distance < bestDistance)
            {
                bestDistance = distance;
                best = k;
            }
        }
        return (double)best / pixels;
    }

    /// <summary>Design <paramref name="index"/> for <paramref name="target"/>: its GRF parameters and noise seed (Id = the index).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A negative index.</exception>
    public GrfSample Design(double target, int index, long seed) => Design(VolumeFractionFor(target), target, index, seed);

    /// <summary><paramref name="count"/> designs for <paramref name="target"/> (binary maps at the chosen VF).</summary>
    /// <exception cref="ArgumentException">A target that is not finite and positive, or a count below 1.</exception>
    public IReadOnlyList<Microstructure> Generate(double target, int count, long seed, CancellationToken cancellationToken = default)
    {
        if (!(double.IsFinite(target) && target > 0)) throw new ArgumentOutOfRangeException(nameof(target), target, "The target absorption must be finite and > 0.");
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "Ask for at least 1 design.");
        double fraction = VolumeFractionFor(target);
        var maps = new Microstructure[count];
        for (int n = 0; n < count; n++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var design = Design(fraction, target, n, seed);
            maps[n] = _generator.Generate(design.Parameters, design.Seed);
        }
        return maps;
    }

    /// <summary>What the fit found, in one line: degree, cross-validated R^2, rows and VF range.</summary>
    public string Describe() => FormattableString.Invariant(
        $"fitted on {TrainingRows} training rows: degree {Degree}, {Options.Folds}-fold CV R^2 of label ~ VF {CrossValidatedR2:F4}, training VF {TrainingVolumeFraction.Min:F3}-{TrainingVolumeFraction.Max:F3}");

    private GrfSample Design(double fraction, double target, int index, long seed)
    {
        if (index < 0) throw new ArgumentOutOfRangeException(nameof(index), index, "Design indices start at 0.");
        var random = new SeededRandom(seed, BaselineRandom.ControlDesigns, BitConverter.DoubleToInt64Bits(target), index);
        var ranges = Options.Ranges;
        double mean = ranges.MeanWavenumber.At(random.NextDouble());
        double width = ranges.StdWavenumber.At(random.NextDouble());
        long grfSeed = (long)(random.NextUInt64() & long.MaxValue);
        return new GrfSample(index, new GrfParameters(ranges.Family, mean, width, fraction), grfSeed);
    }
}
