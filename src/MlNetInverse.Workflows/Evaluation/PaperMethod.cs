using MlNetInverse.Workflows.Generation;


namespace MlNetInverse.Workflows.Evaluation;

/// <summary>
/// The paper's method reproduced with the same model zip: plain MDN sampling conditioned on the target (independent
/// noise), one draw per design, no MDN calibration and no surrogate screen (<see cref="GenerationModel.AsPublished"/>), decoded by the VQ-VAE
/// and binarized as the zip binarizes (at the volume fraction read from each draw's snapped codes). The reproduction row of Table I.
/// </summary>
internal sealed class PaperMethod(GenerationModel model) : IEvaluationMethod
{
    private readonly ZipDraws _draws = new(model.AsPublished);

    public string Name => EvaluationMethods.Paper;

    public MethodOutput Generate(double target, int count, long seed, CancellationToken cancellationToken) =>
        new(_draws.Generate(target, count, seed, cancellationToken), null, 0, count);

    public void Dispose()
    {
    }
}
