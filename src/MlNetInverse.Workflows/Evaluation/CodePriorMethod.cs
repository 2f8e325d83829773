using MlNetInverse.Models.CodePrior;
using MlNetInverse.Physics.Runtime;
using MlNetInverse.Workflows.Generation;
using static MlNetInverse.Physics.Formatting.InvariantText;

namespace MlNetInverse.Workflows.Evaluation;

/// <summary>
/// The zip's decoder and surrogate screen fed by a masked code prior instead of the MDN (<see cref="CodePriorDesigns"/>):
/// the same draws per design, cut and screen as <see cref="ProposedMethod"/>, so the two rows differ only in where the
/// latents come from.
/// </summary>
internal sealed class CodePriorMethod(GenerationModel model, MaskedCodePrior prior) : IEvaluationMethod
{
    private readonly CodePriorDesigns _designs = new(model, prior);

    public string Name => EvaluationMethods.CodePrior;

    /// <summary>What the method does, in one line (the prior file's fingerprint keeps stored cells to their prior).</summary>
    public static string Settings(GenerationModel model, int designs, string? priorFingerprint) => Text(
        $"code grids drawn from the masked code prior {priorFingerprint} conditioned on the target ({MaskedCodePrior.DefaultRounds} rounds in random order), {(model.Oversampling > 1 ? $"surrogate screen as the zip's ({GenerationModel.ScreenPhrase(designs, designs * model.Oversampling, "draws per target", model.ScreenVolumeFractionStrata, model.ScreenSoftness)})" : "one draw per design")}; {ProposedMethod.DecodingPhrase(model)}");

    public MethodOutput Generate(double target, int count, long seed, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var threads = new TorchThreadScope(1);
        return new MethodOutput(_designs.Generate(target, count, seed).Maps(), null, 0, count * model.Oversampling);
    }

    public void Dispose()
    {
    }
}
