using System.Numerics;
using MlNetInverse.Physics.Datasets;
using MlNetInverse.Physics.Microstructures;
using MlNetInverse.Physics.Optics;
using MlNetInverse.Physics.Randomness;
using MlNetInverse.Physics.Rcwa;

namespace MlNetInverse.Tests.Physics.Datasets;

/// <summary>
/// Cheap stand-ins for the GRF generator and the RCWA solver, deterministic in their inputs, so generation tests
/// check resume, determinism and format in milliseconds.
/// </summary>
internal sealed class DatasetFakes
{
    private int _simulatorCalls;

    /// <summary>A two-wavelength stack with 9 harmonics (never solved here; it is stored in the files).</summary>
    public static OpticalStack Stack { get; } = CreateStack();

    /// <summary>How many times <see cref="Simulate"/> ran.</summary>
    public int SimulatorCalls => Volatile.Read(ref _simulatorCalls);

    /// <summary>When set, the simulator throws on this call number (1-based).</summary>
    public int? FailOnCall { get; set; }

    /// <summary>Options with the fake-friendly defaults.</summary>
    public static DatasetGenerationOptions Options(int count, long seed = 7, int rowGroupSize = 4, int threads = 1) => new()
    {
        Count = count,
        Seed = seed,
        Stack = Stack,
        RowGroupSize = rowGroupSize,
        Threads = threads,
    };

    public DatasetGenerator CreateGenerator(DatasetGenerationOptions options) => new(options, Generate, Simulate);

    /// <summary>A map whose pixels are on with probability = volume fraction, from a hash of (seed, pixel).</summary>
    public static Microstructure Generate(GrfParameters parameters, long seed)
    {
        var on = new bool[Microstructure.DefaultSize * Microstructure.DefaultSize];
        for (int i = 0; i < on.Length; i++)
        {
            ulong h = Hash((ulong)seed * 31 + (ulong)i);
            on[i] = (h >> 11) * (1.0 / (1UL << 53)) < parameters.VolumeFraction;
        }
        return Microstructure.FromBinary(on);
    }

    /// <summary>Absorption grows with the fill fraction and differs per wavelength, so labels depend on the map.</summary>
    public StackResponse Simulate(Microstructure map)
    {
        int call = Interlocked.Increment(ref _simulatorCalls);
        if (call == FailOnCall) throw new InvalidOperationException($"injected solver failure on call {call}");
        double fill = map.VolumeFraction;
        double corner = map[0, 0] + 0.5 * map[1, 2];
        var wavelengths = Stack.WavelengthsNm.Select((wl, k) =>
        {
            double a = 0.2 + 0.5 * fill + 0.01 * corner + 0.03 * k;
            var response = new PolarizationResponse(0.3 - 0.1 * fill, 0.5 - a, a);
            return new WavelengthResponse(wl, response, response with { PatternedLayerAbsorptance = a * 0.9 }, wl);
        }).ToArray();
        return new StackResponse(wavelengths);
    }

    private static ulong Hash(ulong z) => SplitMix64.Next(z, 1);

    private static OpticalStack CreateStack()
    {
        var air = Material.Constant("air", 1.0);
        return new OpticalStack
        {
            Name = "dataset-test",
            PeriodNm = 400,
            Superstrate = air,
            Patterned = new PatternedLayer(Material.Constant("absorber", new Complex(12, 1.5)), air, 80),
            Substrate = Material.Constant("glass", 2.25),
            WavelengthsNm = [500, 650],
            Solver = new RcwaOptions { Harmonics = 9 },
        };
    }
}
