namespace MlNetInverse.ML.Onnx;

/// <summary>
/// Input and output names of the exported graphs and the files next to <c>generator.onnx</c>. Every tensor's first
/// dimension is the symbolic batch size "batch".
/// </summary>
public static class OnnxGeneratorNames
{
    /// <summary>Decoder graph input: raw MDN latents [batch, L] float32, L = D*G*G in the layout d*G*G + gx*G + gy.</summary>
    public const string Latents = "latents";

    /// <summary>Decoder graph output: decoder sigmoid output [batch, S*S] float32 (x-major), before binarization.</summary>
    public const string Probabilities = "probabilities";

    /// <summary>
    /// Decoder graph output of a VQ-VAE with a volume fraction readout: each design's pixel count k = round(v*S*S), clamped to
    /// [1, S*S], [batch, 1] float32 (whole numbers). With <see cref="Probabilities"/> it is all a host needs to binarize.
    /// </summary>
    public const string PixelCounts = "pixel_counts";

    /// <summary>Decoder graph output: binarized microstructures [batch, S*S] float32, 1 where the probability is &gt; 0.5.</summary>
    public const string Images = "images";

    /// <summary>Decoder graph output: the surrogate's absorption of each binarized image [batch, 1] float32.</summary>
    public const string Absorption = "absorption";

    /// <summary>MDN graph input: the conditioning absorption [batch, 1] float32 (the target after the model's calibration).</summary>
    public const string Condition = "condition";

    /// <summary>MDN graph output: log mixture weights [batch, K] float32 (log-softmax).</summary>
    public const string LogWeights = "log_weights";

    /// <summary>MDN graph output: component means [batch, K, L] float32 in raw latent units.</summary>
    public const string Means = "means";

    /// <summary>MDN graph output: component standard deviations [batch, K, L] float32 in raw latent units (not variances).</summary>
    public const string Sigmas = "sigmas";

    /// <summary>
    /// MDN graph output of an MDN that draws correlated noise: the lower-triangular factor C [L, L] float32; each draw's
    /// standard normals e become C e before latent = mean + sigma * (C e). Absent otherwise.
    /// </summary>
    public const string NoiseFactor = "noise_factor";

    /// <summary>
    /// MDN graph output of an MDN with noise bands: the absorption at each band's centre [G] float32; noise_factor is then
    /// [G, L, L] and a draw takes the factor of the centre nearest its condition (ties to the lower). Absent otherwise.
    /// </summary>
    public const string NoiseCentres = "noise_centres";

    /// <summary>The MDN graph's file for a decoder graph at <paramref name="generatorPath"/>: generator.onnx → generator.mdn.onnx.</summary>
    public static string MdnPath(string generatorPath) => Stem(generatorPath) + ".mdn.onnx";

    /// <summary>The manifest's file for a decoder graph at <paramref name="generatorPath"/>: generator.onnx → generator.json.</summary>
    public static string ManifestPath(string generatorPath) => Stem(generatorPath) + ".json";

    private static string Stem(string path) =>
        path.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase) ? path[..^".onnx".Length] : path;
}
