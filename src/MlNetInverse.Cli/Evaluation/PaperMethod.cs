using MlNetInverse.Cli.Commands;
using MlNetInverse.Physics.Microstructures;
using MlNetInverse.Physics.Runtime;

namespace MlNetInverse.Cli.Evaluation;

/// <summary>
/// The paper's method reproduced with the same model zip: plain MDN sampling conditioned on the target, one draw per
/// design, no MDN calibration and no surrogate screen (<see cref="GenerationModel.AsPublished"/>), decoded by the VQ-VAE
/// and binarized at 0.5. The reproduction row of Table I.
/// </summary>
internal sealed class PaperMethod(GenerationModel model) : IEvaluationMethod
{
    // The configured copy is built once per (count, seed): a run asks every target of a seed in a row.
    private (int Count, long Seed, GenerationModel Model)? _configured;

    public string Name => EvaluationMethods.Paper;

    public MethodOutput Generate(double target, int count, long seed, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        GeneratedTarget generated;
        using (new TorchThreadScope(1))
            generated = Configured(count, seed).Generate([target])[0];
        var maps = generated.Images.Select(image => Microstructure.FromPixels(image, generated.ImageSize)).ToArray();
        return new MethodOutput(maps, null, 0, count);
    }

    private GenerationModel Configured(int count, long seed)
    {
        if (_configured is not { } c || c.Count != count || c.Seed != seed) _configured = (count, seed, model.AsPublished(count, seed));
        return _configured.Value.Model;
    }

    public void Dispose()
    {
    }
}
