using System.Collections.Concurrent;
using System.Numerics;
using MlNetInverse.Physics.Microstructures;
using MlNetInverse.Physics.Optics;
using MlNetInverse.Physics.Runtime;
using static TorchSharp.torch;

namespace MlNetInverse.Physics.Rcwa;

/// <summary>
/// Rigorous coupled-wave analysis of a periodic stack whose one patterned layer is a pixel map, at normal incidence,
/// for x and y polarisation. Complex128 TorchSharp tensors; one eigen-decomposition per wavelength serves both
/// polarisations. Thread-safe: patterns may be simulated from several threads at once.
/// </summary>
/// <remarks>
/// The solver owns its thread policy: every entry point runs each wavelength with one torch intra-op thread, on the
/// calling thread or on <see cref="TorchWorkers"/> workers that share out wavelengths and patterns. Results are
/// therefore bit-identical for any worker count and whatever torch thread count the caller has set.
/// </remarks>
public sealed class RcwaSolver : IDisposable
{
    /// <summary>Relative wavelength shift applied on a Rayleigh anomaly, where a grazing order makes kz = 0.</summary>
    public const double RayleighShift = 1e-10;

    private readonly HarmonicGrid _grid;
    private readonly ConcurrentDictionary<int, Lazy<PixelFourierBasis>> _bases = new();

    /// <summary>Creates a solver for a validated stack.</summary>
    public RcwaSolver(OpticalStack stack)
    {
        ArgumentNullException.ThrowIfNull(stack);
        stack.Validate();
        RcwaMemory.Check(stack.Solver.Harmonics, workers: 1);
        LibTorchNativeCheck.EnsureLoaded();
        Stack = stack;
        _grid = new HarmonicGrid(stack.Solver.Order);
    }

    /// <summary>The stack, wavelengths and solver settings.</summary>
    public OpticalStack Stack { get; }

    /// <summary>For tests: called on the thread that solves each wavelength, just before it is solved (wavelength in nm).</summary>
    internal Action<double>? SolvingWavelength { get; set; }

    /// <summary>Simulates one pattern at every wavelength of the stack, one wavelength after another on the calling thread.</summary>
    public StackResponse Simulate(Microstructure pattern, CancellationToken cancellationToken = default) =>
        Simulate(pattern, workers: 1, cancellationToken);

    /// <summary>
    /// Simulates one pattern at every wavelength of the stack, the wavelengths shared out over
    /// <paramref name="workers"/> threads (<see cref="TorchWorkers.PerCore"/> uses every core).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="workers"/> below 1.</exception>
    public StackResponse Simulate(Microstructure pattern, int workers, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        RcwaMemory.Check(Stack.Solver.Harmonics, Math.Min(Math.Max(1, workers), Stack.WavelengthsNm.Count));
        return SimulateMany([pattern], workers, cancellationToken: cancellationToken)[0];
    }

    /// <summary>Simulates one pattern at one wavelength (nm) on the calling thread.</summary>
    public WavelengthResponse SimulateWavelength(Microstructure pattern, double wavelengthNm)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        if (!double.IsFinite(wavelengthNm) || wavelengthNm <= 0)
            throw new ArgumentOutOfRangeException(nameof(wavelengthNm), wavelengthNm, "The wavelength must be a positive number of nm.");
        WavelengthResponse response = null!;
        TorchWorkers.For(1, 1, _ => response = Solve(pattern, wavelengthNm));
        return response;
    }

    /// <summary>
    /// Simulates many patterns on <paramref name="workers"/> threads that share out every (pattern, wavelength) pair,
    /// so a few patterns of many wavelengths keep every worker busy too.
    /// </summary>
    /// <param name="patterns">The patterns; the responses come back in this order.</param>
    /// <param name="workers">Parallel workers, each with one torch thread (default 1; <see cref="TorchWorkers.PerCore"/> uses every core).</param>
    /// <param name="completed">Receives the number of patterns finished so far, after each one (from worker threads).</param>
    /// <param name="cancellationToken">Checked before every wavelength.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="workers"/> below 1.</exception>
    /// <exception cref="NonPhysicalResultException">A response breaks the energy balance (<see cref="StackResponse.EnergyBalanceProblem"/>):
    /// every judge (simulate, dataset labels, generate --verify, evaluate, the baselines) refuses it instead of using it.</exception>
    public IReadOnlyList<StackResponse> SimulateMany(IReadOnlyList<Microstructure> patterns, int workers = 1,
        IProgress<int>? completed = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        if (workers < 1) throw new ArgumentOutOfRangeException(nameof(workers), workers, "At least one worker is needed.");
        foreach (var pattern in patterns) ArgumentNullException.ThrowIfNull(pattern, nameof(patterns));
        var wavelengths = Stack.WavelengthsNm;
        int w = wavelengths.Count;
        var solved = new WavelengthResponse[patterns.Count][];
        var remaining = new int[patterns.Count];
        for (int p = 0; p < patterns.Count; p++)
        {
            solved[p] = new WavelengthResponse[w];
            remaining[p] = w;
        }
        int done = 0;
        TorchWorkers.For(patterns.Count * w, workers, item =>
        {
            cancellationToken.ThrowIfCancellationRequested();
            int p = item / w, k = item % w;
            solved[p][k] = Solve(patterns[p], wavelengths[k]);
            if (Interlocked.Decrement(ref remaining[p]) == 0) completed?.Report(Interlocked.Increment(ref done));
        }, cancellationToken);
        var responses = solved.Select(responses => new StackResponse(responses)).ToArray();
        bool gain = Stack.HasGainMedium;
        for (int p = 0; p < responses.Length; p++)
        {
            if (responses[p].EnergyBalanceProblem(gain) is { } problem)
            {
                throw new NonPhysicalResultException(FormattableString.Invariant(
                    $"non-physical result: {problem} (pattern {p + 1} of {responses.Length}); the period ({Stack.PeriodNm} nm) or the wavelengths lie far outside what {Stack.Solver.Harmonics} harmonics resolve."));
            }
        }
        return responses;
    }

    /// <summary>One wavelength of one pattern, on the calling thread (which <see cref="TorchWorkers"/> keeps at one torch thread).</summary>
    private WavelengthResponse Solve(Microstructure pattern, double wavelengthNm)
    {
        SolvingWavelength?.Invoke(wavelengthNm);
        using var scope = NewDisposeScope();
        // Rebuilt per wavelength (a few small matmuls against one eigen-decomposition), so wavelengths need no shared state.
        using var permittivity = Permittivity(pattern);
        return SolveWavelength(permittivity, wavelengthNm);
    }

    private PatternedLayerPermittivity Permittivity(Microstructure pattern)
    {
        // Lazy: workers meeting a new size at once build one basis, not one each (the extra would never be disposed).
        var basis = _bases.GetOrAdd(pattern.Size, size => new Lazy<PixelFourierBasis>(() => new PixelFourierBasis(size, _grid.Order))).Value;
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
        foreach (var basis in _bases.Values.Where(b => b.IsValueCreated)) basis.Value.Dispose();
    }
}
