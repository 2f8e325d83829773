using MlNetInverse.Baselines;

namespace MlNetInverse.Workflows.Evaluation;

/// <summary>A trained generative baseline (PCA-MDN, GAN-MDN, MDN inverse model): its maps are simulated by the evaluation.</summary>
internal sealed class BaselineMethod(IInverseDesignMethod method) : IEvaluationMethod
{
    public string Name => method.Name;

    public MethodOutput Generate(double target, int count, long seed, CancellationToken cancellationToken) =>
        new(method.Generate(target, count, seed, cancellationToken), null, 0, count);

    public void Dispose() => method.Dispose();
}
