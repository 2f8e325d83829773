using System.Globalization;

namespace MlNetInverse.Models.Mdn;

/// <summary>Architecture of a <see cref="MixtureDensityNetwork"/>: absorption -> K diagonal Gaussians over an L-dimensional latent.</summary>
public sealed record MdnOptions
{
    /// <summary>Mixture components K (components). Default 40, as in the paper.</summary>
    public int Components { get; init; } = 40;

    /// <summary>Units of each hidden layer (units). Default 128.</summary>
    public int HiddenUnits { get; init; } = 128;

    /// <summary>Hidden layers (Linear + tanh) between the absorption input and the mixture heads (layers). Default 2.</summary>
    public int HiddenLayers { get; init; } = 2;

    /// <summary>
    /// Dimension L of the latent vector (values), e.g. 8 x 8 grid x 8 code dimensions = 512. Default 0: taken from the
    /// training data by <see cref="MdnTrainer"/> (latents.Length / absorption.Length); a model needs it at least 1.
    /// </summary>
    public int LatentDimension { get; init; }

    /// <summary>
    /// Smallest standard deviation of a component, in normalised latent units (multiples of each dimension's training
    /// standard deviation). Default 1e-3. Keeps the likelihood bounded when a component collapses onto one point.
    /// </summary>
    public double SigmaFloor { get; init; } = 1e-3;

    /// <summary>
    /// Draw each sample's standard normals with the correlation of the training residuals instead of independently
    /// (correlated). The components keep their diagonal deviations, so each latent value's spread is unchanged, but
    /// values that vary together in the data (the code dimensions of one cell, neighbouring cells) vary together in the
    /// draws, which snap to coherent structures instead of cell-by-cell noise. The trainer fits the correlation on the
    /// training split after the last epoch (<see cref="MdnResidualCorrelation"/>). Default false: the paper's independent
    /// draws.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)]
    public bool CorrelatedNoise { get; init; }

    /// <summary>
    /// Bands of absorption with their own noise correlation (noise_bands), for <see cref="CorrelatedNoise"/>: the
    /// correlation is fitted around each of this many centres spread evenly over the training range (Gaussian weights
    /// in the label, as wide as the centres' spacing), and a draw takes the band nearest its condition. The data's
    /// structure changes with absorption (on the band-edge data the spectrum's peak moves from the cell's first to its
    /// second and third harmonics), and one correlation over all labels draws the average structure at every
    /// condition. Default 0: one correlation for every condition (as 1). Each band holds an L x L factor (1 MB at L = 512).
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)]
    public int NoiseBands { get; init; }

    /// <summary>Most bands of <see cref="NoiseBands"/>.</summary>
    public const int MaxNoiseBands = 64;

    /// <summary>Checks every option; <see cref="LatentDimension"/> 0 (from the data) passes.</summary>
    /// <exception cref="ArgumentException">An option is out of range; the message names it, its value and what is allowed.</exception>
    public void Validate()
    {
        if (Components < 1) throw Bad(nameof(Components), Components, "at least 1");
        if (HiddenUnits < 1) throw Bad(nameof(HiddenUnits), HiddenUnits, "at least 1");
        if (HiddenLayers < 1) throw Bad(nameof(HiddenLayers), HiddenLayers, "at least 1");
        if (LatentDimension < 0) throw Bad(nameof(LatentDimension), LatentDimension, "0 (from the training data) or at least 1");
        if (!(SigmaFloor > 0 && SigmaFloor < 1)) throw Bad(nameof(SigmaFloor), SigmaFloor, "in (0, 1) (normalised latent units)");
        if (NoiseBands is < 0 or > MaxNoiseBands) throw Bad(nameof(NoiseBands), NoiseBands, $"0 (one correlation for every condition) to {MaxNoiseBands}");
        if (NoiseBands > 1 && !CorrelatedNoise) throw Bad(nameof(NoiseBands), NoiseBands, "0 or 1 unless CorrelatedNoise is true (bands are bands of the noise correlation)");
        if ((long)Components * Math.Max(1, LatentDimension) > int.MaxValue / 2)
            throw Bad(nameof(LatentDimension), LatentDimension, $"small enough that Components x LatentDimension fits a layer (Components = {Components})");
    }

    /// <summary>Checks every option and that <see cref="LatentDimension"/> is known (at least 1), as building a model needs.</summary>
    /// <exception cref="ArgumentException">An option is out of range or the latent dimension is still 0.</exception>
    public void ValidateForModel()
    {
        Validate();
        if (LatentDimension < 1)
            throw Bad(nameof(LatentDimension), LatentDimension, "at least 1 to build a model (0 means 'from the data' and is resolved by MdnTrainer)");
    }

    private static ArgumentException Bad(string option, object value, string expected) =>
        new($"MdnOptions.{option} must be {expected}; got {Convert.ToString(value, CultureInfo.InvariantCulture)}.", option);
}
