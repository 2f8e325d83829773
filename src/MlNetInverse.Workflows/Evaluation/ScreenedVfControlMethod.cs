using MlNetInverse.Baselines.Controls;

namespace MlNetInverse.Workflows.Evaluation;

/// <summary>The volume-fraction control through the model's surrogate screen, with the model's draw budget.</summary>
internal sealed class ScreenedVfControlMethod(ScreenedVolumeFractionControl control) : IEvaluationMethod
{
    public string Name => control.Name;

    public MethodOutput Generate(double target, int count, long seed, CancellationToken cancellationToken) =>
        new(control.Generate(target, count, seed, cancellationToken).Maps, null, 0, count * control.Oversampling);

    public void Dispose()
    {
    }
}
