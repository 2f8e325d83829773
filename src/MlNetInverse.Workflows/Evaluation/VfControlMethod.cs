using MlNetInverse.Baselines.Controls;

namespace MlNetInverse.Workflows.Evaluation;

/// <summary>The volume-fraction control in the evaluation: no learning, its maps are simulated by the evaluation.</summary>
internal sealed class VfControlMethod(VolumeFractionControl control) : IEvaluationMethod
{
    public string Name => control.Name;

    public MethodOutput Generate(double target, int count, long seed, CancellationToken cancellationToken) =>
        new(control.Generate(target, count, seed, cancellationToken), null, 0, count);

    public void Dispose()
    {
    }
}
