using MlNetInverse.Models.CodePrior;
using MlNetInverse.Workflows.Generation;
using static MlNetInverse.Physics.Formatting.InvariantText;

namespace MlNetInverse.Workflows.Evaluation;

/// <summary>
/// The zip's decoder and surrogate screen fed by a masked code prior instead of the MDN (<see cref="GenerationModel.WithCodePrior"/>):
/// the same draws per design, cut and screen as <see cref="ProposedMethod"/>, so the two rows differ only in where the
/// latents come from.
/// </summary>
internal sealed class CodePriorMethod(GenerationModel model, MaskedCodePrior prior) : IEvaluationMethod
{
    private readonly ZipDraws _draws = new(model.WithCodePrior(prior).With);

    public string Name => EvaluationMethods.CodePrior;

    /// <summary>What the method does, in one line (the prior file's fingerprint keeps stored cells to their prior).</summary>
    public static string Settings(GenerationModel model, int designs, string? priorFingerprint) => Text(
        $"code grids drawn from the masked code prior {priorFingerprint} conditioned on the target ({MaskedCodePrior.DefaultRounds} rounds in random order, each draw its own stream), {(model.Oversampling > 1 ? $"surrogate screen as the zip's ({GenerationModel.ScreenPhrase(designs, designs * model.Oversampling, "draws per target", model.ScreenVolumeFractionStrata, model.ScreenSoftness)})" : "one draw per design")}; {ProposedMethod.DecodingPhrase(model)}");

    public MethodOutput Generate(double target, int count, long seed, CancellationToken cancellationToken) =>
        new(_draws.Generate(target, count, seed, cancellationToken), null, 0, count * model.Oversampling);

    public void Dispose()
    {
    }
}
