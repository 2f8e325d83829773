using MlNetInverse.Baselines.Shared;
using MlNetInverse.ML.Generation;
using MlNetInverse.Physics.Microstructures;
using MlNetInverse.Physics.Runtime;

namespace MlNetInverse.Workflows.Evaluation;

/// <summary>
/// The surrogate stored in the model zip (trained on the training split only) as an absorption evaluator: the
/// surrogate-judged REP of every method, and the labeller of GAN-MDN's generated samples.
/// </summary>
internal sealed class ModelSurrogate(MicrostructureDecodeTransformer decoder) : IAbsorptionEvaluator
{
    public string Name => "surrogate";

    public double[] Evaluate(IReadOnlyList<Microstructure> maps, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var threads = new TorchThreadScope(1);
        return decoder.PredictAbsorption(maps.Select(m => m.ToArray()).ToArray()).Select(v => (double)v).ToArray();
    }
}
