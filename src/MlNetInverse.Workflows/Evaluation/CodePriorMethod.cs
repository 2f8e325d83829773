using MlNetInverse.Models.CodePrior;
using MlNetInverse.Workflows.Generation;
using static MlNetInverse.Physics.Formatting.InvariantText;

namespace MlNetInverse.Workflows.Evaluation;

/// <summary>
/// The zip's decoder and surrogate screen fed by a masked code prior instead of the MDN (<see cref="GenerationModel.WithCodePrior"/>):
/// the same draws per design, cut and screen as <see cref="ProposedMethod"/>, the screen keeping an equal share from each of
/// <see cref="GenerationModel.CodePriorVolumeFractionStrata"/> strata of volume fraction as <c>train prior</c> saves it.
/// </summary>
internal sealed class CodePriorMethod : IEvaluationMethod
{
    private readonly GenerationModel _chain;
    private readonly ZipDraws _draws;

    public CodePriorMethod(GenerationModel model, MaskedCodePrior prior)
    {
        _chain = model.WithCodePrior(prior);
        _draws = new ZipDraws(_chain.With);
    }

    public string Name => EvaluationMethods.CodePrior;

    /// <summary>What the method does, in one line (the prior file's fingerprint keeps stored cells to their prior).</summary>
    public static string Settings(GenerationModel model, int designs, string? priorFingerprint) => Text(
        $"code grids drawn from the masked code prior {priorFingerprint} conditioned on the target ({MaskedCodePrior.DefaultRounds} rounds in random order, each draw its own stream), {(model.Selection is not null ? $"surrogate screen as train prior saves it ({GenerationModel.ScreenPhrase(designs, designs * model.Oversampling, "draws per target", GenerationModel.CodePriorVolumeFractionStrata, 0)})" : "one draw per design")}; {ProposedMethod.DecodingPhrase(model)}");

    public MethodOutput Generate(double target, int count, long seed, CancellationToken cancellationToken) =>
        new(_draws.Generate(target, count, seed, cancellationToken), null, 0, count * _chain.Oversampling);

    public void Dispose()
    {
    }
}
