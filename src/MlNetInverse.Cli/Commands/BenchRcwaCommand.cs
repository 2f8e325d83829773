using System.ComponentModel;
using System.Diagnostics;
using MlNetInverse.Cli.Benchmarks;
using MlNetInverse.Cli.Simulation;
using MlNetInverse.Physics.Microstructures;
using MlNetInverse.Physics.Rcwa;
using MlNetInverse.Physics.Runtime;
using Spectre.Console;
using Spectre.Console.Cli;
using static MlNetInverse.Physics.Formatting.InvariantText;

namespace MlNetInverse.Cli.Commands;

/// <summary>
/// <c>bench rcwa</c>: seconds per <see cref="RcwaSolver.SimulateWavelength"/> call (the bare solver: both
/// polarisations, one wavelength, one torch thread) for a fixed-seed 64x64 GRF pattern on
/// <see cref="ReferenceStructure"/>, after warm-up runs; next to it the <c>simulate</c> path (a new solver, then
/// <see cref="RcwaSolver.Simulate(Microstructure, int, CancellationToken)"/> over several wavelengths on the workers)
/// per wavelength, and their ratio. <c>--load N</c> keeps N cores busy meanwhile, as another job on the node would.
/// </summary>
internal sealed class BenchRcwaCommand : Command<BenchRcwaCommand.Settings>
{
    /// <summary>Untimed runs before measuring (first calls pay for library loading and allocator warm-up).</summary>
    public const int WarmUpRuns = 2;

    /// <summary>Seed of the benchmark pattern, fixed so every run times the same structure.</summary>
    public const long PatternSeed = 1;

    /// <summary>Shortest and longest wavelength of the simulate path (nm); its wavelengths are spread evenly between them.</summary>
    public const double SimulateFromNm = 400, SimulateToNm = 800;

    /// <summary>GRF parameters of the benchmark pattern: a ring SDF, a typical microstructure of the dataset.</summary>
    public static readonly GrfParameters PatternParameters = new(SpectralDensityFamily.Ring, MeanWavenumber: 6, StdWavenumber: 1.5, VolumeFraction: 0.5);

    private readonly CliOutput _output;

    public BenchRcwaCommand(CliOutput output) => _output = output;

    /// <summary>Options of <c>bench rcwa</c>.</summary>
    public sealed class Settings : CliSettings
    {
        [CommandOption("--harmonics <N>")]
        [Description("Plane-wave harmonics, (2M+1)^2.")]
        [DefaultValue(121)]
        public int Harmonics { get; set; } = 121;

        [CommandOption("--wavelength-nm <NM>")]
        [Description("Vacuum wavelength of the bare-solver calls, in nm.")]
        [DefaultValue(500.0)]
        public double WavelengthNm { get; set; } = 500;

        [CommandOption("--repeats <N>")]
        [Description("Timed calls after the warm-up, of the bare solver and of the simulate path each.")]
        [DefaultValue(15)]
        public int Repeats { get; set; } = 15;

        [CommandOption("--wavelengths <N>")]
        [Description("Wavelengths of the simulate path, evenly spread over 400-800 nm (0 skips it).")]
        [DefaultValue(9)]
        public int Wavelengths { get; set; } = 9;

        [CommandOption("--threads <N>")]
        [Description("RCWA workers of the simulate path, one wavelength each, as in 'simulate' (every RCWA worker runs torch on one thread). Default 0: one per core.")]
        public int Threads { get; set; }

        [CommandOption("--load <N>")]
        [Description("Busy-spinning threads kept running while measuring, each taking a core as another busy process would. Default 0.")]
        public int Load { get; set; }

        [CommandOption("--factorization <RULE>")]
        [Description("Fourier factorization: laurent or li.")]
        [DefaultValue("laurent")]
        public string Factorization { get; set; } = "laurent";

        public override ValidationResult Validate()
        {
            try
            {
                OptionValues.Harmonics("--harmonics", Harmonics);
                OptionValues.Positive("--wavelength-nm", WavelengthNm);
                OptionValues.AtLeastOne("--repeats", Repeats);
                OptionValues.Factorization("--factorization", Factorization);
            }
            catch (FormatException e)
            {
                return ValidationResult.Error(e.Message);
            }
            if (Wavelengths < 0) return ValidationResult.Error($"--wavelengths must be 0 (skip the simulate path) or at least 1; got {Wavelengths}.");
            if (Threads < 0) return ValidationResult.Error($"--threads must be 0 (one per core) or at least 1; got {Threads}.");
            if (Load < 0) return ValidationResult.Error($"--load must be 0 or more busy threads; got {Load}.");
            return ValidationResult.Success();
        }
    }

    /// <summary><paramref name="count"/> wavelengths evenly spread over <see cref="SimulateFromNm"/>-<see cref="SimulateToNm"/> (one: the middle).</summary>
    public static double[] SimulateWavelengths(int count) => count == 1
        ? [(SimulateFromNm + SimulateToNm) / 2]
        : Enumerable.Range(0, count).Select(i => SimulateFromNm + (SimulateToNm - SimulateFromNm) * i / (count - 1)).ToArray();

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var solverOptions = new RcwaOptions
        {
            Harmonics = settings.Harmonics,
            Factorization = OptionValues.Factorization("--factorization", settings.Factorization)!.Value,
        };
        int workers = settings.Threads > 0 ? settings.Threads : TorchWorkers.PerCore;
        var pattern = new GaussianRandomFieldGenerator().Generate(PatternParameters, PatternSeed);
        using var load = new BusyLoad(settings.Load);

        using var solver = new RcwaSolver(ReferenceStructure.Create([settings.WavelengthNm], solverOptions));
        WavelengthResponse response = null!;
        var wavelengths = SimulateWavelengths(settings.Wavelengths);
        var simulateStack = ReferenceStructure.Create(wavelengths, solverOptions);
        var runs = new List<Action> { () => response = solver.SimulateWavelength(pattern, settings.WavelengthNm) };
        if (settings.Wavelengths > 0)
            runs.Add(() =>
            {
                // What 'simulate' does after loading: a new solver, then every wavelength on the workers.
                using var fresh = new RcwaSolver(simulateStack);
                fresh.Simulate(pattern, workers, cancellationToken);
            });
        var seconds = TimeInterleaved(settings.Repeats, runs, cancellationToken);
        var bare = seconds[0];
        double[]? simulate = settings.Wavelengths > 0 ? seconds[1] : null;

        double median = Median(bare);
        // Short lines: Spectre wraps at the console width, and scripts grep these.
        _output.Console.MarkupLineInterpolated(
            $"RCWA, 64x64 GRF pattern (seed {PatternSeed}, volume fraction {Text($"{pattern.VolumeFraction:F3}")}), reference structure");
        _output.Console.MarkupLineInterpolated($"{settings.Harmonics} harmonics, {solverOptions.Factorization}, both polarisations");
        _output.Console.MarkupLineInterpolated($"one torch thread per RCWA worker; background load: {load.Threads} busy thread(s)");
        _output.Console.MarkupLineInterpolated($"{WarmUpRuns} warm-up and {settings.Repeats} timed calls each, taking turns");
        var table = new Table().AddColumns("", Text($"bare solver, {settings.WavelengthNm:R} nm"));
        if (simulate is not null) table.AddColumn(Text($"simulate, {wavelengths.Length} wavelengths, {workers} worker(s)"));
        void Row(string name, double bareValue, double? simulateValue) =>
            table.AddRow(simulate is null ? [name, Text($"{bareValue:F4}")] : [name, Text($"{bareValue:F4}"), Text($"{simulateValue:F4}")]);
        Row("median s/call", median, simulate is null ? null : Median(simulate));
        Row("min s/call", bare.Min(), simulate?.Min());
        Row("s/wavelength", median, simulate is null ? null : Median(simulate) / wavelengths.Length);
        _output.Console.Write(table);
        if (simulate is not null)
        {
            _output.Console.MarkupLineInterpolated($"simulate per wavelength / bare median: {Text($"{Median(simulate) / wavelengths.Length / median:F2}")}");
            _output.Console.MarkupLineInterpolated(
                $"(simulate: a new solver, then {Text($"{SimulateFromNm:F0}")}-{Text($"{SimulateToNm:F0}")} nm shared over the workers)");
        }
        _output.Console.MarkupLineInterpolated($"harmonics/s (nG / bare median): {Text($"{settings.Harmonics / median:F0}")}");
        _output.Console.MarkupLineInterpolated(
            $"patterned-layer absorption at {Text($"{settings.WavelengthNm:R}")} nm: {Text($"{response.PatternedLayerAbsorptance:F6}")}");
        return CliErrors.Success;
    }

    /// <summary>
    /// Seconds of each of <paramref name="repeats"/> calls of every run, after <see cref="WarmUpRuns"/> untimed ones; the
    /// runs take turns, so a load that comes and goes meanwhile weighs on each of them alike.
    /// </summary>
    private static double[][] TimeInterleaved(int repeats, IReadOnlyList<Action> runs, CancellationToken cancellationToken)
    {
        var seconds = runs.Select(_ => new double[repeats]).ToArray();
        for (int i = -WarmUpRuns; i < repeats; i++)
        {
            for (int r = 0; r < runs.Count; r++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var watch = Stopwatch.StartNew();
                runs[r]();
                if (i >= 0) seconds[r][i] = watch.Elapsed.TotalSeconds;
            }
        }
        return seconds;
    }

    /// <summary>The median (mean of the two middle values for an even count).</summary>
    public static double Median(IReadOnlyList<double> values)
    {
        if (values.Count == 0) throw new ArgumentException("The median of no values is undefined.", nameof(values));
        var sorted = values.Order().ToArray();
        int middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : 0.5 * (sorted[middle - 1] + sorted[middle]);
    }
}
