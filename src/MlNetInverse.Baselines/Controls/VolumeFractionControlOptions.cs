using MlNetInverse.Physics.Datasets;
using MlNetInverse.Physics.Microstructures;

namespace MlNetInverse.Baselines.Controls;

/// <summary>Settings of the volume-fraction control (<see cref="VolumeFractionControl"/>).</summary>
public sealed record VolumeFractionControlOptions
{
    /// <summary>
    /// Highest polynomial degree of label ~ VF the cross-validation may choose (degree, at least 1). Default 8 (the
    /// regression's Legendre basis keeps it well conditioned; cross-validation picks the degree that predicts best).
    /// </summary>
    public int MaxDegree { get; init; } = 8;

    /// <summary>Folds of the cross-validation that chooses the degree (folds, at least 2). Default 5.</summary>
    public int Folds { get; init; } = 5;

    /// <summary>Seed of the fold assignment. Default 0.</summary>
    public long FitSeed { get; init; }

    /// <summary>
    /// SDF family and wavenumber ranges (cycles per cell) the fresh GRFs draw their ring mean and width from, uniformly:
    /// the dataset's own (<c>dataset.Generation.Ranges</c>). Its volume-fraction range is not used: the control sets the
    /// VF. Default: <see cref="GrfParameterRanges"/>' defaults.
    /// </summary>
    public GrfParameterRanges Ranges { get; init; } = new();

    /// <summary>Edge length of the maps (pixels, even, at least 4). Default 64.</summary>
    public int ImageSize { get; init; } = Microstructure.DefaultSize;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (MaxDegree < 1) throw new ArgumentException($"MaxDegree must be at least 1; got {MaxDegree}.");
        if (Folds < 2) throw new ArgumentException($"Folds must be at least 2; got {Folds}.");
        if (ImageSize < 4 || ImageSize % 2 != 0) throw new ArgumentException($"ImageSize must be even and at least 4 pixels; got {ImageSize}.");
        ArgumentNullException.ThrowIfNull(Ranges);
        Ranges.Validate(ImageSize);
    }

    /// <summary>The settings in one line, for reports and cache fingerprints.</summary>
    public string Describe() => FormattableString.Invariant(
        $"label ~ polynomial of VF (degree <= {MaxDegree}, chosen by {Folds}-fold CV, seed {FitSeed}) on the training split; VF: the realisable fraction k/{ImageSize * ImageSize} in the training VF range whose fitted label is closest to the target (ties to the lower VF); a fresh {Ranges.Family} GRF per design with ring mean U{Ranges.MeanWavenumber} and width U{Ranges.StdWavenumber} cycles per cell");
}
