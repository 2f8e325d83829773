using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using MlNetInverse.Cli.Runtime;
using MlNetInverse.Physics.Runtime;
using MlNetInverse.Cli.Simulation;
using MlNetInverse.Physics.Microstructures;
using MlNetInverse.Physics.Rcwa;
using Spectre.Console;
using Spectre.Console.Cli;

namespace MlNetInverse.Cli.Commands;

/// <summary>
/// <c>bench rcwa</c>: seconds per <see cref="RcwaSolver.SimulateWavelength"/> call (both polarisations, one wavelength)
/// for a fixed-seed 64x64 GRF pattern on <see cref="ReferenceStructure"/>, after warm-up runs.
/// </summary>
internal sealed class BenchRcwaCommand : Command<BenchRcwaCommand.Settings>
{
    /// <summary>Untimed runs before measuring (first calls pay for library loading and allocator warm-up).</summary>
    public const int WarmUpRuns = 2;

    /// <summary>Seed of the benchmark pattern, fixed so every run times the same structure.</summary>
    public const long PatternSeed = 1;

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
        [Description("Vacuum wavelength in nm.")]
        [DefaultValue(500.0)]
        public double WavelengthNm { get; set; } = 500;

        [CommandOption("--repeats <N>")]
        [Description("Timed calls after the warm-up.")]
        [DefaultValue(15)]
        public int Repeats { get; set; } = 15;

        [CommandOption("--threads <N>")]
        [Description("Torch intra-op threads.")]
        [DefaultValue(1)]
        public int Threads { get; set; } = 1;

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
                OptionValues.AtLeastOne("--threads", Threads);
                OptionValues.Factorization("--factorization", Factorization);
            }
            catch (FormatException e)
            {
                return ValidationResult.Error(e.Message);
            }
            return ValidationResult.Success();
        }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        using var threads = new TorchThreadScope(settings.Threads);
        var solverOptions = new RcwaOptions
        {
            Harmonics = settings.Harmonics,
            Factorization = OptionValues.Factorization("--factorization", settings.Factorization)!.Value,
        };
        var solver = new RcwaSolver(ReferenceStructure.Create([settings.WavelengthNm], solverOptions));
        var pattern = new GaussianRandomFieldGenerator().Generate(PatternParameters, PatternSeed);

        WavelengthResponse response = null!;
        for (int i = 0; i < WarmUpRuns; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            response = solver.SimulateWavelength(pattern, settings.WavelengthNm);
        }
        var seconds = new double[settings.Repeats];
        for (int i = 0; i < seconds.Length; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var watch = Stopwatch.StartNew();
            response = solver.SimulateWavelength(pattern, settings.WavelengthNm);
            seconds[i] = watch.Elapsed.TotalSeconds;
        }

        double median = Median(seconds), min = seconds.Min();
        var table = new Table().HideHeaders().AddColumns("", "");
        void Row(string name, string value) => table.AddRow(name, value);
        Row("harmonics", settings.Harmonics.ToString(CultureInfo.InvariantCulture));
        Row("wavelength nm", settings.WavelengthNm.ToString("R", CultureInfo.InvariantCulture));
        Row("factorization", solverOptions.Factorization.ToString());
        Row("torch threads", settings.Threads.ToString(CultureInfo.InvariantCulture));
        Row("timed calls", settings.Repeats.ToString(CultureInfo.InvariantCulture));
        Row("median s/call", median.ToString("F4", CultureInfo.InvariantCulture));
        Row("min s/call", min.ToString("F4", CultureInfo.InvariantCulture));
        Row("harmonics/s (nG / median)", (settings.Harmonics / median).ToString("F0", CultureInfo.InvariantCulture));
        _output.Console.MarkupLineInterpolated(
            $"RCWA, 64x64 GRF pattern (seed {PatternSeed}, volume fraction {pattern.VolumeFraction.ToString("F3", CultureInfo.InvariantCulture)}), reference structure, both polarisations, {WarmUpRuns} warm-up runs");
        _output.Console.Write(table);
        _output.Console.MarkupLineInterpolated(
            $"patterned-layer absorption at {settings.WavelengthNm.ToString("R", CultureInfo.InvariantCulture)} nm: {response.PatternedLayerAbsorptance.ToString("F6", CultureInfo.InvariantCulture)}");
        return CliErrors.Success;
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
