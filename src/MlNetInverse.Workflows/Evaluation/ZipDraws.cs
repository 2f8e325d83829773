using MlNetInverse.Physics.Microstructures;
using MlNetInverse.Physics.Runtime;
using MlNetInverse.Workflows.Generation;

namespace MlNetInverse.Workflows.Evaluation;

/// <summary>
/// The designs a model zip generates for one target, configured per (count, seed) by <paramref name="configure"/>
/// (the zip as shipped, or as the paper samples), decoded and binarized (at the volume fraction read from each draw's snapped codes) without isolated pixels or lakes
/// (DesignBinarization).
/// </summary>
internal sealed class ZipDraws(Func<int, long, GenerationModel> configure)
{
    // The configured copy is built once per (count, seed): a run asks every target of a seed in a row.
    private (int Count, long Seed, GenerationModel Model)? _configured;

    public Microstructure[] Generate(double target, int count, long seed, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_configured is not { } c || c.Count != count || c.Seed != seed) _configured = (count, seed, configure(count, seed));
        GeneratedTarget generated;
        using (new TorchThreadScope(1))
            generated = _configured.Value.Model.Generate([target])[0];
        return generated.Maps();
    }
}
