using System.ComponentModel;
using MlNetInverse.Cli.Patterns;
using MlNetInverse.Cli.Simulation;
using MlNetInverse.Physics.Optics;
using MlNetInverse.Physics.Rcwa;
using MlNetInverse.Physics.Runtime;
using Spectre.Console;
using Spectre.Console.Cli;

namespace MlNetInverse.Cli.Commands;

/// <summary>
/// <c>simulate</c>: RCWA reflectance, transmittance and absorption of one pattern. Without --stack the structure is
/// <see cref="ReferenceStructure"/> changed by the given flags; with --stack the file is the base and only the flags
/// given explicitly override its values. Scripts drive it through --json, which prints exactly one JSON object.
/// </summary>
internal sealed class SimulateCommand : Command<SimulateCommand.Settings>
{
    private readonly CliOutput _output;

    public SimulateCommand(CliOutput output) => _output = output;

    /// <summary>Options of <c>simulate</c>. Every stack option is null unless given, so --stack values survive.</summary>
    public sealed class Settings : CliSettings
    {
        [CommandOption("--pattern <FILE>")]
        [Description("Required. The pattern: a .txt 0/1 map (64 lines of 64 characters; line = x, character = y) or a 64x64 .png (row = x, column = y, gray > 127 = material A).")]
        public string? Pattern { get; set; }

        [CommandOption("--period-nm <NM>")]
        [Description("Lattice period in nm (default 350, or the --stack value).")]
        public double? PeriodNm { get; set; }

        [CommandOption("--thickness-nm <NM>")]
        [Description("Thickness of the patterned layer in nm, >= 0 (default 100, or the --stack value).")]
        public double? ThicknessNm { get; set; }

        [CommandOption("--eps-a <EPS>")]
        [Description("Permittivity of material A (pixels 1), e.g. 12+0.5i (default 12+0.5i, or the --stack material).")]
        public string? EpsA { get; set; }

        [CommandOption("--eps-b <EPS>")]
        [Description("Permittivity of material B (pixels 0) (default 1, or the --stack material).")]
        public string? EpsB { get; set; }

        [CommandOption("--eps-superstrate <EPS>")]
        [Description("Permittivity of the lossless superstrate, light comes from here (default 1, or the --stack material).")]
        public string? EpsSuperstrate { get; set; }

        [CommandOption("--eps-substrate <EPS>")]
        [Description("Permittivity of the lossless substrate (default 2.25, or the --stack material).")]
        public string? EpsSubstrate { get; set; }

        [CommandOption("--wavelengths-nm <LIST>")]
        [Description("Comma-separated vacuum wavelengths in nm (default 400,500,600,700, or the --stack list).")]
        public string? WavelengthsNm { get; set; }

        [CommandOption("--harmonics <N>")]
        [Description("Plane-wave harmonics, (2M+1)^2: 9, 25, 49, 81, 121, 169, ... (default 121, or the --stack value).")]
        public int? Harmonics { get; set; }

        [CommandOption("--factorization <RULE>")]
        [Description("Fourier factorization of the patterned layer: laurent or li (default laurent, or the --stack value).")]
        public string? Factorization { get; set; }

        [CommandOption("--stack <FILE>")]
        [Description("Optical stack JSON (see pipelines/stacks/) used as the base; flags given explicitly override its period, patterned-layer thickness, eps-a/eps-b, superstrate/substrate, wavelengths, harmonics and factorization.")]
        public string? Stack { get; set; }

        [CommandOption("--threads <N>")]
        [Description("RCWA workers sharing out the wavelengths; each runs torch on one thread. Default 0: one per core.")]
        public int Threads { get; set; }

        [CommandOption("--json")]
        [Description("Print exactly one JSON object to stdout and nothing else: {\"results\":[[{\"wavelength_nm\",\"R_x\",\"T_x\",\"A_x\",\"R_y\",\"T_y\",\"A_y\",\"A_avg\"}, ...]],\"absorption\"}.")] // [[ ]] are literal brackets in Spectre markup.
        public bool Json { get; set; }

        public override ValidationResult Validate()
        {
            if (string.IsNullOrWhiteSpace(Pattern))
                return ValidationResult.Error("--pattern FILE is required (a .txt 0/1 map or a .png image).");
            if (!File.Exists(Pattern)) return ValidationResult.Error($"--pattern: file '{Pattern}' does not exist.");
            if (Stack is not null && !File.Exists(Stack)) return ValidationResult.Error($"--stack: file '{Stack}' does not exist.");
            if (Threads < 0) return ValidationResult.Error($"--threads must be 0 (one per core) or at least 1; got {Threads}.");
            try
            {
                _ = ToOverrides();
            }
            catch (FormatException e)
            {
                return ValidationResult.Error(e.Message);
            }
            return ValidationResult.Success();
        }

        /// <summary>The explicitly given stack values; throws <see cref="FormatException"/> naming the option for a bad one.</summary>
        public StackOverrides ToOverrides() => new()
        {
            PeriodNm = OptionValues.Positive("--period-nm", PeriodNm),
            ThicknessNm = OptionValues.NonNegative("--thickness-nm", ThicknessNm),
            EpsA = OptionValues.Complex("--eps-a", EpsA),
            EpsB = OptionValues.Complex("--eps-b", EpsB),
            EpsSuperstrate = OptionValues.Complex("--eps-superstrate", EpsSuperstrate),
            EpsSubstrate = OptionValues.Complex("--eps-substrate", EpsSubstrate),
            WavelengthsNm = OptionValues.Wavelengths("--wavelengths-nm", WavelengthsNm),
            Harmonics = OptionValues.Harmonics("--harmonics", Harmonics),
            Factorization = OptionValues.Factorization("--factorization", Factorization),
        };
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var pattern = PatternFile.Load(settings.Pattern!);
        var baseStack = settings.Stack is null ? ReferenceStructure.Create() : OpticalStackFile.Load(settings.Stack);
        var stack = settings.ToOverrides().ApplyTo(baseStack);
        using var solver = new RcwaSolver(stack);
        StackResponse response;
        try
        {
            // The solver refuses a non-physical answer before anything is printed: an error, not a result.
            response = solver.Simulate(pattern, settings.Threads > 0 ? settings.Threads : TorchWorkers.PerCore, cancellationToken);
        }
        catch (NonPhysicalResultException e)
        {
            throw new InvalidOperationException($"{e.Message} Check --period-nm and --wavelengths-nm.", e);
        }
        bool gain = stack.HasGainMedium;
        if (gain)
            _output.Error.WriteLine("warning: a material of the stack has gain (Im eps < 0): absorption can be negative and R + T can exceed 1.");

        // Render fully before writing, so a failure never leaves half an answer on stdout.
        if (settings.Json)
        {
            var json = SimulationReport.ToJson(response);
            _output.Out.WriteLine(json);
            _output.Out.Flush();
        }
        else
        {
            SimulationReport.WriteTable(_output.Console, stack, settings.Pattern!, pattern.VolumeFraction, response);
        }
        return CliErrors.Success;
    }
}
