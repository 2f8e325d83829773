using MlNetInverse.Physics.Morphology;
using MlNetInverse.Workflows.Generation;
using static MlNetInverse.Physics.Formatting.InvariantText;


namespace MlNetInverse.Workflows.Evaluation;

/// <summary>
/// The model zip exactly as <c>generate</c> uses it: MDN draws (through the zip's calibration when it has one) decoded
/// by the VQ-VAE and binarized (at the volume fraction read from each draw's snapped codes) without isolated pixels or lakes, through the zip's surrogate screen when it has one. The
/// screen (<see cref="ML.Generation.SampleSelectionTransformer"/>) ranks all N x oversampling draws of a target by
/// |surrogate absorption - target| and keeps the best N: one ranking per target, not a best-of-M per design, or, with
/// volume fraction strata, an equal share of the best from each stratum of the draws' volume fraction.
/// </summary>
internal sealed class ProposedMethod(GenerationModel model) : IEvaluationMethod
{
    private readonly ZipDraws _draws = new(model.With);

    public string Name => EvaluationMethods.Proposed;

    /// <summary>The report heading, from what the zip adds to the paper's plain sampling.</summary>
    public static string Title(GenerationModel model, int designs)
    {
        var added = Additions(model, designs);
        if (model.CodePrior is not null)
            return $"Proposed as shipped with a code prior: VQ-VAE + masked code prior (in place of the MDN){string.Concat(added.Select(a => " + " + a))} - not the paper's method";
        return added.Length == 0
            ? "Proposed as shipped: VQ-VAE + MDN, plain sampling (no calibration, no screen: the paper's method)"
            : $"Proposed as shipped: VQ-VAE + MDN + {string.Join(" + ", added)} - not the paper's method";
    }

    /// <summary>
    /// How the zip turns draws into designs, shared by every method that decodes with it: where its VQ-VAE cuts (at the
    /// volume fraction its readout reads from each draw's snapped codes, or at 0.5 without one), then speckle and lakes.
    /// </summary>
    internal static string DecodingPhrase(GenerationModel model) =>
        $"decoded by the VQ-VAE, {(model.Decoder.VqVae.VolumeFractionReadout is null ? "binarized at 0.5 (the VQ-VAE has no volume fraction readout)" : "binarized at the volume fraction its readout takes from each draw's snapped codes")} without isolated pixels, B regions under {LakeFilling.SmallestLake} pixels other than the largest filled";

    /// <summary>What the zip does, in one line.</summary>
    public static string Settings(GenerationModel model, int designs) => Text(
        $"the model zip as generate uses it: {SamplerPhrase(model)}; {(model.Oversampling > 1 ? $"{designs * model.Oversampling} draws per target, of which the {designs} with surrogate absorption closest to the target are kept ({(model.ScreenVolumeFractionStrata == 1 ? "one ranking over all draws of the target" : $"an equal share from each of {model.ScreenVolumeFractionStrata} strata of the draws' volume fraction")})" : "one draw per design")}; {DecodingPhrase(model)}");

    public MethodOutput Generate(double target, int count, long seed, CancellationToken cancellationToken) =>
        new(_draws.Generate(target, count, seed, cancellationToken), null, 0, count * model.Oversampling);

    /// <summary>How the zip's sampler draws, in a phrase.</summary>
    internal static string SamplerPhrase(GenerationModel model) => model.Mdn is { } mdn
        ? $"MDN {(mdn.Calibration is null ? "conditioned on the target itself" : "conditioned through its calibration (on the value whose decoded designs' mean surrogate absorption equals the target)")}"
        : Text($"code grids drawn from the masked code prior conditioned on the target ({model.CodePrior!.Rounds} rounds in random order, each draw its own stream)");

    private static string[] Additions(GenerationModel model, int designs) =>
    [
        .. model.Mdn?.Calibration is null ? Array.Empty<string>() : ["MDN calibration"],
        .. model.Oversampling > 1 ? [Text($"surrogate screen ({GenerationModel.ScreenPhrase(designs, designs * model.Oversampling, "draws per target", model.ScreenVolumeFractionStrata, model.ScreenSoftness)})")] : Array.Empty<string>(),
    ];

    public void Dispose()
    {
    }
}
