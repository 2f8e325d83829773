using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using MlNetInverse.Models.Devices;

namespace MlNetInverse.Workflows.Pipelines;

/// <summary>
/// A training pipeline (pipelines/quick.json, pipelines/paper.json): the dataset and the settings of every stage
/// of <c>mlnet-inverse train --pipeline</c> (surrogate, VQ-VAE, latents, MDN, generation, the optional code prior); <see cref="TrainingRun"/>
/// trains it. <see cref="Load"/> reads the JSON (relative paths resolve against the pipeline file's folder; unknown
/// keys and wrong types are errors naming the key; a missing section takes its defaults); in code, set the properties
/// (<see cref="Data"/> then names the dataset file itself).
/// </summary>
public sealed partial record TrainingPipeline
{
    private static readonly JsonSerializerOptions Json = new()
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>The full path of the file <see cref="Load"/> read, or null for a pipeline made in code (recorded in metrics.json).</summary>
    [JsonIgnore]
    public string? SourcePath { get; init; }

    /// <summary>Pipeline name (for reports). Default "pipeline".</summary>
    public string Name { get; init; } = "pipeline";

    /// <summary>What the pipeline is for. Default empty.</summary>
    public string Description { get; init; } = "";

    /// <summary>The dataset file (.parquet from 'data generate'), resolved to a full path. Required.</summary>
    public string Data { get; init; } = "";

    /// <summary>Seed of the held-out split and of every trainer. Default 0.</summary>
    public long Seed { get; init; }

    /// <summary>cpu, cuda or auto. Default cpu.</summary>
    public string Device { get; init; } = "cpu";

    /// <summary>Torch threads for training and RCWA workers (0 = all cores). Default 0.</summary>
    public int Threads { get; init; }

    /// <summary>
    /// Torch threads of the MDN stage, which trains alone, while the machine's other processes leave cores free (checked
    /// after every epoch; see <see cref="MlNetInverse.Models.Training.TrainingOptions.ThreadsWhenIdle"/>); its weights are the same at any count.
    /// Default 0: always <see cref="Threads"/>.
    /// </summary>
    public int ThreadsWhenIdle { get; init; }

    /// <summary>Share of the dataset held out (seeded) from every training stage for the test metrics. Default 0.1.</summary>
    public double HeldOut { get; init; } = 0.1;

    /// <summary>Stage 1: the absorption surrogate CNN.</summary>
    public SurrogateSection Surrogate { get; init; } = new();

    /// <summary>Stage 2: the VQ-VAE and its loss.</summary>
    public VqVaeSection Vqvae { get; init; } = new();

    /// <summary>Stage 4: the mixture density network from absorption to latents.</summary>
    public MdnSection Mdn { get; init; } = new();

    /// <summary>What the model zip generates per target, and the targets of the run's report.</summary>
    public GenerationSection Generation { get; init; } = new();

    /// <summary>Optional stage 5: a masked code prior in place of the MDN, saved as model-prior.zip. Off by default.</summary>
    public PriorSection Prior { get; init; } = new();

    /// <summary>The parsed <see cref="Device"/>.</summary>
    [JsonIgnore]
    public ComputeDevice ComputeDevice => Device.ToLowerInvariant() switch
    {
        "cpu" => ComputeDevice.Cpu,
        "cuda" => ComputeDevice.Cuda,
        "auto" => ComputeDevice.Auto,
        _ => throw new FormatException($"'device' is '{Device}'; use cpu, cuda or auto."),
    };

    /// <summary>Loads and checks <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="FormatException">Invalid JSON, an unknown key, a wrong type or an out-of-range value; the message names the key.</exception>
    public static TrainingPipeline Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Pipeline file '{path}' does not exist.", path);
        TrainingPipeline pipeline;
        try
        {
            pipeline = JsonSerializer.Deserialize<TrainingPipeline>(File.ReadAllText(path), Json)
                ?? throw new FormatException($"Pipeline file '{path}' is empty.");
        }
        catch (JsonException e)
        {
            throw new FormatException($"Pipeline file '{path}': {Describe(e)}", e);
        }
        try
        {
            pipeline.Validate();
        }
        catch (FormatException e)
        {
            throw new FormatException($"Pipeline file '{path}': {e.Message}", e);
        }
        string folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        return pipeline with { Data = Path.GetFullPath(Path.Combine(folder, pipeline.Data)), SourcePath = Path.GetFullPath(path) };
    }

    /// <summary>
    /// A short hash of <paramref name="parts"/> (JSON-serialised): a stage's fingerprint, so a rerun skips a finished
    /// stage only when its settings and everything upstream are unchanged.
    /// </summary>
    internal static string Fingerprint(params object[] parts)
    {
        var text = string.Join("\n", parts.Select(p => p as string ?? JsonSerializer.Serialize(p, p.GetType(), Json)));
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16].ToLowerInvariant();
    }

    /// <summary>Checks every setting (<see cref="Load"/> does; <see cref="TrainingRun.OpenAsync"/> does for a pipeline made in code).</summary>
    /// <exception cref="FormatException">A value out of range or unknown; the message names the key as the JSON spells it.</exception>
    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(Data)) throw new FormatException("'data' (the dataset .parquet, relative to the pipeline file) is required.");
        _ = ComputeDevice;
        AtLeast("threads", Threads, 0);
        AtLeast("threads_when_idle", ThreadsWhenIdle, 0);
        Fraction("held_out", HeldOut);
        AtLeast("surrogate.epochs", Surrogate.Epochs, 1);
        AtLeast("surrogate.batch", Surrogate.Batch, 1);
        Positive("surrogate.learning_rate", Surrogate.LearningRate);
        AtLeast("surrogate.base_channels", Surrogate.BaseChannels, 1);
        AtLeast("surrogate.hidden_units", Surrogate.HiddenUnits, 1);
        AtLeast("surrogate.spectral_shells", Surrogate.SpectralShells, 0);
        Fraction("surrogate.held_out", Surrogate.HeldOut);
        AtLeast("vqvae.epochs", Vqvae.Epochs, 1);
        AtLeast("vqvae.batch", Vqvae.Batch, 1);
        Positive("vqvae.learning_rate", Vqvae.LearningRate);
        AtLeast("vqvae.codebook_size", Vqvae.CodebookSize, 2);
        AtLeast("vqvae.code_dim", Vqvae.CodeDim, 1);
        if (Vqvae.LatentGrid < 1 || (Vqvae.LatentGrid & (Vqvae.LatentGrid - 1)) != 0)
            throw new FormatException($"'vqvae.latent_grid' must be a power of two (e.g. 8 or 16); got {Vqvae.LatentGrid}.");
        AtLeast("vqvae.hidden_channels", Vqvae.HiddenChannels, 1);
        NonNegative("vqvae.alpha", Vqvae.Alpha);
        NonNegative("vqvae.beta", Vqvae.Beta);
        NonNegative("vqvae.theta", Vqvae.Theta);
        NonNegative("vqvae.commitment_cost", Vqvae.CommitmentCost);
        AtLeast("vqvae.dead_code_threshold", Vqvae.DeadCodeThreshold, 0);
        _ = Vqvae.QuantizerUpdate;
        _ = Vqvae.VqVaeArchitecture;
        AtLeast("mdn.components", Mdn.Components, 1);
        AtLeast("mdn.hidden_units", Mdn.HiddenUnits, 1);
        AtLeast("mdn.hidden_layers", Mdn.HiddenLayers, 1);
        AtLeast("mdn.epochs", Mdn.Epochs, 1);
        AtLeast("mdn.batch", Mdn.Batch, 1);
        Positive("mdn.learning_rate", Mdn.LearningRate);
        Fraction("mdn.held_out", Mdn.HeldOut);
        _ = Mdn.LearnsDecodedAbsorption;
        if (!(Mdn.SigmaFloor > 0 && Mdn.SigmaFloor < 1)) throw new FormatException($"'mdn.sigma_floor' must be in (0, 1); got {Text(Mdn.SigmaFloor)}.");
        AtLeast("generation.samples", Generation.Samples, 1);
        AtLeast("generation.oversampling", Generation.Oversampling, 1);
        AtLeast("generation.volume_fraction_strata", Generation.VolumeFractionStrata, 1);
        if (!(Generation.ScreenSoftness >= 0 && Generation.ScreenSoftness < 1))
            throw new FormatException($"'generation.screen_softness' must be in [0, 1) (0: keep the closest draws); got {Text(Generation.ScreenSoftness)}.");
        if (Generation.ScreenSoftness > 0 && Generation.VolumeFractionStrata > 1)
            throw new FormatException("'generation.screen_softness' and 'generation.volume_fraction_strata' above 1 cannot be combined; set one of them to its default (0, 1).");
        if (Prior.Enabled)
        {
            AtLeast("prior.steps", Prior.Steps, 1);
            AtLeast("prior.batch", Prior.Batch, 1);
            Positive("prior.learning_rate", Prior.LearningRate);
            AtLeast("prior.width", Prior.Width, 1);
            AtLeast("prior.layers", Prior.Layers, 1);
            AtLeast("prior.heads", Prior.Heads, 1);
            if (Prior.Width % Prior.Heads != 0) throw new FormatException($"'prior.heads' must divide 'prior.width'; got {Prior.Heads} heads for width {Prior.Width}.");
            AtLeast("prior.rounds", Prior.Rounds, 1);
            if (Prior.Oversampling is { } oversampling) AtLeast("prior.oversampling", oversampling, 1);
            AtLeast("prior.volume_fraction_strata", Prior.VolumeFractionStrata, 1);
        }
        if (Generation.Targets is not { Length: > 0 }) throw new FormatException("'generation.targets' must list at least one target absorption.");
        foreach (var target in Generation.Targets)
            if (!(target > 0 && target <= 1)) throw new FormatException($"'generation.targets' holds {Text(target)}; a target absorption must be in (0, 1].");
    }

    private static string Describe(JsonException e)
    {
        string at = e.Path is { Length: > 1 } p ? p[2..] : "(top level)";
        string message = e.Message.Split(" Path:")[0];
        if (message.StartsWith("The JSON property '", StringComparison.Ordinal))
        {
            string key = message["The JSON property '".Length..].Split('\'')[0];
            string section = e.Path is { } full && full.Length > 1 && full.EndsWith(key, StringComparison.Ordinal) ? full[2..] : key;
            return $"unknown key '{section}'; see pipelines/quick.json for the keys a pipeline may have.";
        }
        return $"invalid value at '{at}': {message}";
    }

    private static void AtLeast(string key, int value, int minimum)
    {
        if (value < minimum) throw new FormatException($"'{key}' must be at least {minimum}; got {value}.");
    }

    private static void Positive(string key, double value)
    {
        if (!(value > 0 && double.IsFinite(value))) throw new FormatException($"'{key}' must be a positive number; got {Text(value)}.");
    }

    private static void NonNegative(string key, double value)
    {
        if (!(value >= 0 && double.IsFinite(value))) throw new FormatException($"'{key}' must be a number >= 0; got {Text(value)}.");
    }

    private static void Fraction(string key, double value)
    {
        if (!(value > 0 && value < 1)) throw new FormatException($"'{key}' must be a fraction between 0 and 1 (exclusive); got {Text(value)}.");
    }

    private static string Text(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
