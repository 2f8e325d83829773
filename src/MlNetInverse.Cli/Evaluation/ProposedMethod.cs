using MlNetInverse.Cli.Commands;
using MlNetInverse.Physics.Microstructures;
using MlNetInverse.Physics.Runtime;

namespace MlNetInverse.Cli.Evaluation;

/// <summary>
/// The proposed framework exactly as the model zip generates: MDN draws (with the zip's calibration) decoded by the
/// VQ-VAE and binarized at 0.5, through the zip's surrogate screen when it has one (best N of N x oversampling draws).
/// </summary>
internal sealed class ProposedMethod(GenerationModel model) : IEvaluationMethod
{
    // The configured copy is built once: every target of a run asks for the same count and seed.
    private (int Count, long Seed, GenerationModel Model)? _configured;

    public string Name => EvaluationMethods.Proposed;

    public MethodOutput Generate(double target, int count, long seed, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        GeneratedTarget generated;
        using (new TorchThreadScope(1))
            generated = Configured(count, seed).Generate([target])[0];
        var maps = generated.Images.Select(image => Microstructure.FromPixels(image, generated.ImageSize)).ToArray();
        return new MethodOutput(maps, null, 0, count * model.Oversampling);
    }

    private GenerationModel Configured(int count, long seed)
    {
        if (_configured is not { } c || c.Count != count || c.Seed != seed) _configured = (count, seed, model.With(count, seed));
        return _configured.Value.Model;
    }

    public void Dispose()
    {
    }
}
