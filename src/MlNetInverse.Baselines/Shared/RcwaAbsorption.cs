using MlNetInverse.Physics.Microstructures;
using MlNetInverse.Physics.Optics;
using MlNetInverse.Physics.Rcwa;

namespace MlNetInverse.Baselines.Shared;

/// <summary>
/// The physics judge: RCWA absorption of each map in the patterned layer of <see cref="Stack"/>, averaged over its
/// wavelengths (<see cref="StackResponse.Absorption"/>, the dataset's label). About 0.4 s per 64x64 map per core.
/// </summary>
public sealed class RcwaAbsorption : IAbsorptionEvaluator, IDisposable
{
    private readonly RcwaSolver _solver;

    /// <summary>Creates a judge for <paramref name="stack"/> (read it from the dataset's Parquet metadata to match the labels).</summary>
    /// <param name="stack">The optical stack, wavelengths and solver settings.</param>
    /// <param name="threads">RCWA workers sharing out the maps' wavelengths, each with one torch thread (threads). Default 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="threads"/> below 1.</exception>
    public RcwaAbsorption(OpticalStack stack, int threads = 1)
    {
        ArgumentNullException.ThrowIfNull(stack);
        if (threads < 1) throw new ArgumentOutOfRangeException(nameof(threads), threads, "RCWA needs at least 1 thread.");
        _solver = new RcwaSolver(stack);
        Threads = threads;
    }

    /// <summary>The stack the maps are simulated in.</summary>
    public OpticalStack Stack => _solver.Stack;

    /// <summary>RCWA workers (<see cref="RcwaSolver.SimulateMany"/>).</summary>
    public int Threads { get; }

    /// <inheritdoc/>
    public string Name => "rcwa";

    /// <inheritdoc/>
    public double[] Evaluate(IReadOnlyList<Microstructure> maps, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(maps);
        var responses = _solver.SimulateMany(maps, Threads, cancellationToken: cancellationToken);
        return responses.Select(r => r.Absorption).ToArray();
    }

    /// <summary>Releases the solver's tensors.</summary>
    public void Dispose() => _solver.Dispose();
}
