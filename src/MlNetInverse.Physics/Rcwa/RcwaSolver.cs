using MlNetInverse.Physics.Runtime;
using System.Collections.Concurrent;
using System.Numerics;
using MlNetInverse.Physics.Microstructures;
using MlNetInverse.Physics.Optics;
using static TorchSharp.torch;

namespace MlNetInverse.Physics.Rcwa;

/// <summary>
/// Rigorous coupled-wave analysis of a periodic stack whose one patterned layer is a pixel map, at normal incidence,
/// for x and y polarisation. Complex128 TorchSharp tensors; one eigen-decomposition per wavelength serves both
/// polarisations. Thread-safe: patterns may be simulated from several threads at once.
/// </summary>
public sealed class RcwaSolver : IDisposable
{
    /// <summary>Relative wavelength shift applied on a Rayleigh anomaly, where a grazing order makes kz = 0.</summary>
    public const double RayleighShift = 1e-10;

    private readonly HarmonicGrid _grid;
    private readonly ConcurrentDictionary<int, PixelFourierBasis> _bases = new();

    /// <summary>Creates a solver for a validated stack.</summary>
    public RcwaSolver(OpticalStack stack)
    {
        ArgumentNullException.ThrowIfNull(stack);
        stack.Validate();
        Stack = stack;
        _grid = new HarmonicGrid(stack.Solver.Order);
    }

    /// <summary>The stack, wavelengths and solver settings.</summary>
    public OpticalStack Stack { get; }

    /// <summary>Simulates one pattern at every wavelength of the stack.</summary>
    public StackResponse Simulate(Microstructure pattern, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        using var scope = NewDisposeScope();
        using var permittivity = Permittivity(pattern);
        var responses = new List<WavelengthResponse>(Stack.WavelengthsNm.Count);
        foreach (var wavelength in Stack.WavelengthsNm)
        {
            cancellationToken.ThrowIfCancellationRequested();
            responses.Add(SolveWavelength(permittivity, wavelength));
        }
        return new StackResponse(responses);
    }

    /// <summary>Simulates one pattern at one wavelength (nm).</summary>
    public WavelengthResponse SimulateWavelength(Microstructure pattern, double wavelengthNm)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        if (!double.IsFinite(wavelengthNm) || wavelengthNm <= 0)
            throw new ArgumentOutOfRangeException(nameof(wavelengthNm), wavelengthNm, "The wavelength must be a positive number of nm.");
        using var scope = NewDisposeScope();
        using var permittivity = Permittivity(pattern);
        return SolveWavelength(permittivity, wavelengthNm);
    }

    /// <summary>
    /// Simulates many patterns in parallel: one pattern per worker, each worker's torch work single-threaded, so the
    /// results are identical for any <paramref name="threads"/>.
    /// </summary>
    public IReadOnlyList<StackResponse> SimulateMany(IReadOnlyList<Microstructure> patterns, int threads = 1,
        IProgress<int>? completed = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        if (threads < 1) throw new ArgumentOutOfRangeException(nameof(threads), threads, "At least one thread is needed.");
        var results = new StackResponse[patterns.Count];
        int done = 0;
        Parallel.For(0, patterns.Count, new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = cancellationToken }, i =>
        {
            using var single = new TorchThreadScope(1);   // per worker thread: see TorchThreadScope
            results[i] = Simulate(patterns[i], cancellationToken);
            completed?.Report(Interlocked.Increment(ref done));
        });
        return results;
    }

    private PatternedLayerPermittivity Permittivity(Microstructure pattern)
    {
        var basis = _bases.GetOrAdd(pattern.Size, size => new PixelFourierBasis(size, _grid.Order));
        return new PatternedLayerPermittivity(_grid, basis, pattern.ToDoubleArray(), Stack.Solver.Factorization);
    }

    private WavelengthResponse SolveWavelength(PatternedLayerPermittivity permittivity, double wavelengthNm)
    {
        using var scope = NewDisposeScope();
        double solved = wavelengthNm;
        var (kx, ky) = _grid.NormalizedWaveVectors(solved, Stack.PeriodNm);
        for (int attempt = 0; attempt < 4 && OnRayleighAnomaly(solved, kx, ky); attempt++)
        {
            solved *= 1 + RayleighShift;
            (kx, ky) = _grid.NormalizedWaveVectors(solved, Stack.PeriodNm);
        }

        var patterned = Stack.Patterned;
        var (epsilon, epsXX, epsYY) = permittivity.At(patterned.MaterialA.Permittivity(wavelengthNm), patterned.MaterialB.Permittivity(wavelengthNm));
        var layers = new List<LayerInput>(Stack.LayersAbove.Count + 1 + Stack.LayersBelow.Count);
        layers.AddRange(Stack.LayersAbove.Select(l => new LayerInput(l.ThicknessNm, l.Material.Permittivity(wavelengthNm))));
        layers.Add(new LayerInput(patterned.ThicknessNm, null, epsilon, epsXX, epsYY));
        layers.AddRange(Stack.LayersBelow.Select(l => new LayerInput(l.ThicknessNm, l.Material.Permittivity(wavelengthNm))));

        var (x, y) = StackScattering.Solve(_grid, kx, ky, solved,
            Stack.Superstrate.Permittivity(wavelengthNm), layers, Stack.Substrate.Permittivity(wavelengthNm));
        return new WavelengthResponse(wavelengthNm, x, y, solved);
    }

    private bool OnRayleighAnomaly(double wavelengthNm, double[] kx, double[] ky)
    {
        // Any lossless homogeneous medium with a grazing order has kz = 0 there and V = Q / q is singular.
        var media = new List<Complex> { Stack.Superstrate.Permittivity(wavelengthNm), Stack.Substrate.Permittivity(wavelengthNm) };
        media.AddRange(Stack.LayersAbove.Concat(Stack.LayersBelow).Select(l => l.Material.Permittivity(wavelengthNm)));
        return media.Any(eps => UniformModes.SmallestSquaredRoot(eps, kx, ky) < 1e-10);
    }

    public void Dispose()
    {
        _grid.Dispose();
        foreach (var basis in _bases.Values) basis.Dispose();
    }
}
