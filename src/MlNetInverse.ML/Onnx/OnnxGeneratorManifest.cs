using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using MlNetInverse.Physics.Morphology;
using MlNetInverse.Physics.Storage;

namespace MlNetInverse.ML.Onnx;

/// <summary>
/// generator.json, written next to the two graphs: the shapes, the sampling settings (seed, draws per target,
/// calibration) and the training range that the graphs alone do not carry, and a SHA-256 of each graph so a set mixed
/// from two exports (e.g. a crash between two renames) is refused at load.
/// </summary>
public sealed record OnnxGeneratorManifest
{
    /// <summary>Value of <see cref="Format"/>.</summary>
    public const string FormatName = "mlnet-inverse-onnx-generator";

    /// <summary>
    /// Version of this manifest and its graphs: 2 since the decoder graph removes isolated pixels; 3 since the designs'
    /// lakes are filled between the graph's images and its surrogate, which therefore reads the images output. Earlier
    /// versions would make other designs or absorption than the torch engine, so they are refused with a request to
    /// export again. 4 since a decoder whose VQ-VAE has a volume fraction readout thresholds each design at the
    /// quantile that gives the volume fraction read from its latents (MlNetInverse.Models.VqVae.VolumeFractionReadout); 5 since
    /// that volume fraction is read from the snapped codes, not the raw latents.
    /// </summary>
    public const int CurrentVersion = 5;

    [JsonPropertyName("format")] public string Format { get; init; } = FormatName;
    [JsonPropertyName("version")] public int Version { get; init; } = CurrentVersion;
    [JsonPropertyName("producer")] public string Producer { get; init; } = "";

    /// <summary>File name of the decoder graph (same folder).</summary>
    [JsonPropertyName("decoder_file")] public string DecoderFile { get; init; } = "";
    [JsonPropertyName("decoder_sha256")] public string DecoderSha256 { get; init; } = "";

    /// <summary>File name of the MDN graph (same folder).</summary>
    [JsonPropertyName("mdn_file")] public string MdnFile { get; init; } = "";
    [JsonPropertyName("mdn_sha256")] public string MdnSha256 { get; init; } = "";

    /// <summary>Edge length S of the images (pixels).</summary>
    [JsonPropertyName("image_size")] public int ImageSize { get; init; }

    /// <summary>Latent values L per sample (D*G*G).</summary>
    [JsonPropertyName("latent_dimension")] public int LatentDimension { get; init; }

    /// <summary>Mixture components K.</summary>
    [JsonPropertyName("components")] public int Components { get; init; }

    /// <summary>Draws per target the model was saved with.</summary>
    [JsonPropertyName("samples_per_target")] public int SamplesPerTarget { get; init; }

    /// <summary>Seed of the draws (mixed with each target's float bits per row).</summary>
    [JsonPropertyName("sampling_seed")] public long SamplingSeed { get; init; }

    [JsonPropertyName("training_absorption_min")] public double TrainingAbsorptionMin { get; init; }
    [JsonPropertyName("training_absorption_max")] public double TrainingAbsorptionMax { get; init; }

    /// <summary>Calibration conditions (empty: the MDN is conditioned on the target itself).</summary>
    [JsonPropertyName("calibration_conditions")] public double[] CalibrationConditions { get; init; } = [];

    /// <summary>Mean surrogate absorption reached at each calibration condition.</summary>
    [JsonPropertyName("calibration_achieved")] public double[] CalibrationAchieved { get; init; } = [];

    /// <summary>
    /// Designs kept per target by the surrogate screen of the exported model (the samples_per_target draws ranked by
    /// |predicted absorption - target|, ties in draw order); 0 when the model keeps every draw. Absent in older exports: 0.
    /// </summary>
    [JsonPropertyName("selection_keep")] public int SelectionKeep { get; init; }

    /// <summary>
    /// Strata of volume fraction the screen keeps equal shares from (<see cref="Generation.SampleSelectionTransformer.VolumeFractionStrata"/>);
    /// 1: one ranking over all draws. Absent in older exports: 1.
    /// </summary>
    [JsonPropertyName("selection_volume_fraction_strata")] public int SelectionVolumeFractionStrata { get; init; } = 1;

    /// <summary>
    /// The weighted screen's softness (<see cref="Generation.SampleSelectionTransformer.Softness"/>; its keys take
    /// <see cref="SamplingSeed"/>); 0: keep the closest. Absent in older exports: 0.
    /// </summary>
    [JsonPropertyName("selection_softness")] public double SelectionSoftness { get; init; }

    /// <summary>
    /// Whether the MDN draws correlated noise: its graph then has the output noise_factor C [L, L], and each draw's
    /// standard normals e become C e (row i: sum over j &lt;= i of C[i, j] e[j]) before mean + sigma * (C e). Absent: false.
    /// </summary>
    [JsonPropertyName("correlated_noise")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool CorrelatedNoise { get; init; }

    /// <summary>
    /// Noise bands G of an MDN whose noise correlation depends on the condition: noise_factor is then [G, L, L] and the
    /// graph's noise_centres [G] holds each band's absorption; a draw takes the band nearest its condition (ties to the
    /// lower). Absent: one factor for every condition.
    /// </summary>
    [JsonPropertyName("noise_bands")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int NoiseBands { get; init; }

    /// <summary>
    /// Lake filling, for readers outside .NET: B regions (image value 0, 4-connected across the cell edges) under this
    /// many pixels, other than the image's largest B region, become 1 before the surrogate part of the decoder graph runs.
    /// </summary>
    [JsonPropertyName("smallest_lake")] public int SmallestLake { get; init; } = LakeFilling.SmallestLake;

    /// <summary>
    /// Whether the decoder graph thresholds each design at its k-th most probable pixel, k = round(v*S*S) with v read from
    /// the latents by a linear readout (the graph computes it); otherwise at 0.5. For readers outside .NET.
    /// </summary>
    [JsonPropertyName("volume_fraction_readout")] public bool VolumeFractionReadout { get; init; }

    /// <summary>How to sample, for readers outside .NET.</summary>
    [JsonPropertyName("sampling")] public string Sampling { get; init; } =
        "per target: condition = calibration(target); mixture = mdn(condition); for each draw: component from the weights, latent = mean + sigma * e, " +
        "e = L values of N(0,1), or C e with C = the MDN graph's noise_factor when correlated_noise is true (with noise_centres [G], " +
        "noise_factor is [G, L, L] and C is the factor of the centre nearest the condition, ties to the lower); " +
        "seeded SplitMix64 streams keyed by (RowSeed(sampling_seed, float bits of target), 1001, 0); see MlNetInverse.ML.Scoring.LatentSampler.";

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Reads and checks a manifest; the graphs' hashes are checked against the files beside it.</summary>
    /// <exception cref="FileNotFoundException">The manifest or a graph file is missing.</exception>
    /// <exception cref="InvalidDataException">Not a manifest of this format/version, or a graph that does not match its hash.</exception>
    public static OnnxGeneratorManifest Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"ONNX generator manifest '{path}' does not exist; export one with 'mlnet-inverse export-onnx'.", path);
        var manifest = Parse(File.ReadAllText(path), path);
        string folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Check(Path.Combine(folder, InFolder(manifest.DecoderFile, "decoder_file", path)), manifest.DecoderSha256, path);
        Check(Path.Combine(folder, InFolder(manifest.MdnFile, "mdn_file", path)), manifest.MdnSha256, path);
        return manifest;
    }

    /// <summary>Reads and checks a manifest's JSON (format, version, shapes); <paramref name="path"/> names it in errors.</summary>
    /// <exception cref="InvalidDataException">Not a manifest of this format/version, or invalid shapes.</exception>
    internal static OnnxGeneratorManifest Parse(string json, string path)
    {
        OnnxGeneratorManifest manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<OnnxGeneratorManifest>(json, Json) ?? throw new JsonException("empty document");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"ONNX generator manifest '{path}' is not valid JSON ({e.Message.TrimEnd('.')}).", e);
        }
        if (manifest.Format != FormatName || manifest.Version != CurrentVersion)
            throw new InvalidDataException($"'{path}' is a '{manifest.Format}' manifest version {manifest.Version}; this build reads '{FormatName}' version {CurrentVersion}. Re-export with this build's 'mlnet-inverse export-onnx'.");
        if (manifest.SmallestLake != LakeFilling.SmallestLake)
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                $"ONNX generator manifest '{path}' fills lakes under {manifest.SmallestLake} pixels; this build fills under {LakeFilling.SmallestLake}. Re-export with this build's 'mlnet-inverse export-onnx'."));
        if (manifest.ImageSize < 1 || manifest.LatentDimension < 1 || manifest.Components < 1 || manifest.SamplesPerTarget < 1)
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                $"ONNX generator manifest '{path}' has invalid shapes (image {manifest.ImageSize}, latent {manifest.LatentDimension}, components {manifest.Components}, samples {manifest.SamplesPerTarget})."));
        if (manifest.SelectionKeep < 0 || manifest.SelectionKeep > manifest.SamplesPerTarget)
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                $"ONNX generator manifest '{path}' keeps {manifest.SelectionKeep} of {manifest.SamplesPerTarget} draws per target; selection_keep must lie in 0..samples_per_target."));
        if (manifest.SelectionVolumeFractionStrata < 1)
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                $"ONNX generator manifest '{path}' screens within {manifest.SelectionVolumeFractionStrata} volume fraction strata; selection_volume_fraction_strata must be at least 1."));
        if (!(manifest.SelectionSoftness >= 0 && manifest.SelectionSoftness < 1) || (manifest.SelectionSoftness > 0 && manifest.SelectionVolumeFractionStrata > 1))
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                $"ONNX generator manifest '{path}' has selection_softness {manifest.SelectionSoftness} with {manifest.SelectionVolumeFractionStrata} strata; it must lie in [0, 1), and above 0 only with 1 stratum."));
        return manifest;
    }

    /// <summary>
    /// Checks that <paramref name="graph"/>, the bytes about to be run, are the graph this manifest describes; the
    /// hash of a file named in the manifest proves nothing about a graph loaded from elsewhere.
    /// </summary>
    /// <exception cref="InvalidDataException">The bytes do not match the manifest's hash.</exception>
    public void CheckLoaded(ReadOnlySpan<byte> graph, bool mdn, string file, string manifestPath) =>
        Compare(Hash(graph), mdn ? MdnSha256 : DecoderSha256, file, manifestPath);

    /// <summary>A graph's name in the manifest must be a plain file name beside it: a path could point the check at another file than the one loaded.</summary>
    private static string InFolder(string name, string field, string manifestPath)
    {
        if (string.IsNullOrWhiteSpace(name) || name != Path.GetFileName(name) || name is "." or ".." || Path.IsPathRooted(name))
            throw new InvalidDataException($"ONNX generator manifest '{manifestPath}' names {field} '{name}', which is not a file beside it; graphs must lie in the manifest's folder. Export again.");
        return name;
    }

    /// <summary>Lower-case hex SHA-256 of <paramref name="bytes"/>.</summary>
    public static string Hash(ReadOnlySpan<byte> bytes) => Fingerprint.Of(bytes);

    private static void Check(string file, string expected, string manifestPath)
    {
        if (!File.Exists(file)) throw new FileNotFoundException($"ONNX graph '{file}' named by '{manifestPath}' does not exist.", file);
        Compare(Fingerprint.OfFile(file), expected, file, manifestPath);
    }

    private static void Compare(string actual, string expected, string file, string manifestPath)
    {
        if (!string.Equals(actual, expected, StringComparison.OrdinalIgnoreCase))
            throw new InvalidDataException($"ONNX graph '{file}' does not match '{manifestPath}' (SHA-256 {actual[..12]}…, expected {expected[..Math.Min(12, expected.Length)]}…): the files come from different exports or were damaged; export again.");
    }
}
