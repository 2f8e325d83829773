using MlNetInverse.Models.Surrogate;
using MlNetInverse.Physics.Microstructures;
using static TorchSharp.torch;

namespace MlNetInverse.Baselines.Shared;

/// <summary>
/// Absorption predicted by a trained <see cref="AbsorptionSurrogateModel"/> (held-out R^2 about 0.999 on the shipped
/// data): thousands of maps per second where RCWA takes 0.4 s per map, so GAN-MDN can label its samples cheaply.
/// </summary>
public sealed class SurrogateAbsorption : IAbsorptionEvaluator
{
    private readonly AbsorptionSurrogateModel _model;

    /// <summary>Wraps <paramref name="model"/> (not owned: the caller disposes it), run in batches of <paramref name="batchSize"/> maps.</summary>
    /// <param name="model">A trained surrogate; it has no dropout or batch norm, so train/eval mode does not matter.</param>
    /// <param name="batchSize">Maps per forward pass (maps). Default 256.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="batchSize"/> below 1.</exception>
    public SurrogateAbsorption(AbsorptionSurrogateModel model, int batchSize = 256)
    {
        _model = model ?? throw new ArgumentNullException(nameof(model));
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "Batch size must be at least 1.");
        BatchSize = batchSize;
    }

    /// <summary>Maps per forward pass.</summary>
    public int BatchSize { get; }

    /// <inheritdoc/>
    public string Name => "surrogate";

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">A map whose size differs from the surrogate's image size.</exception>
    public double[] Evaluate(IReadOnlyList<Microstructure> maps, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(maps);
        int size = _model.Options.ImageSize, pixels = size * size;
        var values = new double[maps.Count];
        using var noGrad = no_grad();
        for (int start = 0; start < maps.Count; start += BatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int n = Math.Min(BatchSize, maps.Count - start);
            var batch = new float[n * pixels];
            for (int i = 0; i < n; i++)
            {
                var map = maps[start + i];
                if (map.Size != size)
                    throw new ArgumentException($"Map {start + i} is {map.Size}x{map.Size}; the surrogate takes {size}x{size} maps.", nameof(maps));
                map.Pixels.CopyTo(batch.AsSpan(i * pixels, pixels));
            }
            using var scope = NewDisposeScope();
            var input = tensor(batch, [n, 1, size, size]).to(_model.Device);
            var predicted = _model.call(input).to_type(ScalarType.Float64).cpu().data<double>().ToArray();
            predicted.CopyTo(values, start);
        }
        return values;
    }
}
