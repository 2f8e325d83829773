namespace MlNetInverse.ML.Generation;

/// <summary>
/// Column names of the generation chain (target absorption -> MDN samples -> decoded microstructures) and the defaults
/// of its estimators. A row of the chain is one target; its N generated samples live side by side in vector columns
/// (ML.NET row-to-row transformers cannot add rows).
/// </summary>
public static class GenerationColumns
{
    /// <summary>
    /// The N latents the MDN drew for the row's target (Vector&lt;Single, N, L&gt;): sample n's latent at n*L .. n*L+L-1,
    /// each in the layout of the VQ-VAE's latent column (element d*G*G + gx*G + gy).
    /// </summary>
    public const string GeneratedLatents = "GeneratedLatents";

    /// <summary>
    /// Whether the row's target lies inside the absorption range the MDN was trained on (Boolean). False means the MDN
    /// extrapolates: the samples are not to be trusted. The column carries the range as annotation
    /// <see cref="TrainingAbsorptionRangeAnnotation"/>.
    /// </summary>
    public const string InTrainingRange = "InTrainingRange";

    /// <summary>Annotation of <see cref="InTrainingRange"/>: [min, max] training absorption (Vector&lt;Double, 2&gt;).</summary>
    public const string TrainingAbsorptionRangeAnnotation = "TrainingAbsorptionRange";

    /// <summary>
    /// The N decoded, binarized microstructures of the row (Vector&lt;Single, N, S, S&gt;, values 0 or 1): sample n's map at
    /// n*S*S, x-major like the dataset's image column.
    /// </summary>
    public const string GeneratedImages = "GeneratedImages";

    /// <summary>The surrogate's predicted absorption of each of the N generated images (Vector&lt;Single, N&gt;).</summary>
    public const string PredictedAbsorption = "PredictedAbsorption";
}
