namespace MlNetInverse.Physics.Microstructures;

/// <summary>
/// Periodic Gaussian-random-field microstructures: white noise shaped by an SDF on the integer k-grid of the cell,
/// level-cut at the quantile that gives the requested volume fraction.
/// </summary>
public sealed class GaussianRandomFieldGenerator
{
    /// <summary>Creates a generator for <paramref name="size"/> x <paramref name="size"/> cells (default 64).</summary>
    public GaussianRandomFieldGenerator(int size = Microstructure.DefaultSize) => Size = size;

    /// <summary>Edge length in pixels.</summary>
    public int Size { get; }

    /// <summary>Generates the binary map for these parameters; the same seed always gives the same map.</summary>
    public Microstructure Generate(GrfParameters parameters, long seed) => throw new NotImplementedException();
}
