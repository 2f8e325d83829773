using Microsoft.ML;
using MlNetInverse.ML.Data;
using MlNetInverse.ML.Generation;
using MlNetInverse.ML.Latents;
using MlNetInverse.ML.Mdn;
using MlNetInverse.ML.Surrogate;
using MlNetInverse.ML.VqVae;
using MlNetInverse.Models.Devices;
using MlNetInverse.Models.Mdn;

namespace MlNetInverse.ML;

public sealed partial class InverseCatalog
{
    /// <summary>
    /// A training-only step that writes, for every row, Id (Int64; the row number when the input has no Id column),
    /// Absorption, Latent and CodeIndices to the Parquet file <paramref name="path"/> (row groups, temp file + rename)
    /// when fitted, and passes rows through unchanged. Append it with <c>TransformerScope.TrainTest</c>.
    /// </summary>
    /// <param name="path">The Parquet file to write. Required.</param>
    /// <param name="absorptionColumnName">Absorption column (Single). Default "Absorption".</param>
    /// <param name="latentColumnName">Latent column (known-size Vector&lt;Single&gt;). Default "Latent".</param>
    /// <param name="codeIndicesColumnName">Code index column (Vector&lt;Int32&gt;); null to leave it out. Default "CodeIndices".</param>
    public LatentExtractionEstimator ExtractLatents(
        string path,
        string absorptionColumnName = MicrostructureColumns.Absorption,
        string latentColumnName = MicrostructureColumns.Latent,
        string? codeIndicesColumnName = MicrostructureColumns.CodeIndices) =>
        ExtractLatents(new LatentExtractionOptions
        {
            Path = path, AbsorptionColumnName = absorptionColumnName, LatentColumnName = latentColumnName, CodeIndicesColumnName = codeIndicesColumnName,
        });

    /// <summary>The latent extraction step with every setting of <paramref name="options"/>; see <see cref="LatentExtractionOptions"/>.</summary>
    public LatentExtractionEstimator ExtractLatents(LatentExtractionOptions options) => new(Context, options);

    /// <summary>
    /// Loads a latent Parquet file lazily (one row group at a time): Absorption Single and Latent
    /// Vector&lt;Single, L&gt; always, Id Int64 and CodeIndices Vector&lt;Int32, G*G&gt; when the file has them. Any file
    /// with these column names and types loads, whoever wrote it; the stack in its footer (if any) becomes the
    /// Absorption column's <see cref="MicrostructureColumns.OpticalStackAnnotation"/>.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="latentDimension">Values per latent L, needed only when the file does not record it. Default 0: from the file.</param>
    /// <exception cref="FileNotFoundException">No file at <paramref name="path"/>.</exception>
    /// <exception cref="InvalidDataException">Not Parquet, a missing column or a column of another type; the message names it.</exception>
    public IDataView LoadLatents(string path, int latentDimension = 0)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var fullPath = Path.GetFullPath(path);
        if (!File.Exists(fullPath)) throw new FileNotFoundException($"Latent file '{path}' does not exist.", path);
        return LatentFile.Load(() => new FileStream(fullPath, FileMode.Open, FileAccess.Read, FileShare.Read), path, latentDimension);
    }

    /// <summary>
    /// A mixture density network estimator (paper eq. 7): trained from the absorption label to the latent column, it
    /// returns a transformer that draws <paramref name="samplesPerTarget"/> latents for each row's target absorption
    /// (Vector&lt;Single, N*L&gt;) and flags targets outside the training range (Boolean InTrainingRange). Other
    /// settings have the defaults of <see cref="MdnEstimatorOptions"/>.
    /// </summary>
    /// <param name="outputColumnName">Sampled latents column. Default "GeneratedLatents".</param>
    /// <param name="labelColumnName">Absorption label (training) and target (scoring) column. Default "Absorption".</param>
    /// <param name="latentColumnName">Latent column learned. Default "Latent".</param>
    /// <param name="components">Mixture components K. Default 40.</param>
    /// <param name="samplesPerTarget">Latents drawn per target N. Default 30.</param>
    /// <param name="epochs">Training epochs. Default 200.</param>
    /// <param name="seed">Seed of training; draws use <see cref="MdnEstimatorOptions.SamplingSeed"/> (0). Default 0.</param>
    /// <param name="device">Cpu, Cuda or Auto. Default Cpu.</param>
    public MdnEstimator Mdn(
        string outputColumnName = Generation.GenerationColumns.GeneratedLatents,
        string labelColumnName = MicrostructureColumns.Absorption,
        string latentColumnName = MicrostructureColumns.Latent,
        int components = 40,
        int samplesPerTarget = 30,
        int epochs = 200,
        long seed = 0,
        ComputeDevice device = ComputeDevice.Cpu) =>
        Mdn(new MdnEstimatorOptions
        {
            OutputColumnName = outputColumnName,
            LabelColumnName = labelColumnName,
            LatentColumnName = latentColumnName,
            Network = new MdnOptions { Components = components },
            Training = new MdnTrainingOptions { Epochs = epochs, Seed = seed, Device = device },
            SamplesPerTarget = samplesPerTarget,
        });

    /// <summary>An MDN estimator with every setting of <paramref name="options"/>; see <see cref="MdnEstimatorOptions"/>.</summary>
    /// <exception cref="ArgumentException">A setting is out of range; the message names it.</exception>
    public MdnEstimator Mdn(MdnEstimatorOptions options) => new(Context, options);

    /// <summary>
    /// A masked code prior estimator (<see cref="CodePrior.CodePriorEstimatorOptions"/>): from (absorption, code grid) rows,
    /// e.g. <see cref="LoadLatents"/> of the latent extraction's file, to a sampler that takes the MDN's place in
    /// <see cref="GenerateMicrostructures(GenerateMicrostructuresOptions)"/> (<see cref="GenerateMicrostructuresOptions.CodePrior"/>).
    /// </summary>
    /// <exception cref="ArgumentException">A setting is out of range, or neither (or both) of VqVae and Decoder is set; the message names it.</exception>
    public CodePrior.CodePriorEstimator CodePrior(CodePrior.CodePriorEstimatorOptions options) => new(Context, options);

    /// <summary>
    /// The decode step of the generation chain: N latents per row (the MDN's output) become N binarized microstructures
    /// (Vector&lt;Single, N, S, S&gt;) and the surrogate's absorption of each (Vector&lt;Single, N&gt;). The VQ-VAE is the
    /// one <paramref name="vqVae"/> fits earlier in the same chain; the surrogate is the one it was fitted with.
    /// </summary>
    /// <param name="vqVae">The chain's VQ-VAE estimator (fitted before this step's Fit runs).</param>
    /// <param name="outputColumnName">Images column. Default "GeneratedImages".</param>
    /// <param name="inputColumnName">Latents column. Default "GeneratedLatents".</param>
    /// <param name="predictedAbsorptionColumnName">Predicted absorption column. Default "PredictedAbsorption".</param>
    /// <param name="surrogate">A surrogate to use instead of the VQ-VAE's. Default null.</param>
    /// <param name="device">Cpu, Cuda or Auto. Default Cpu.</param>
    [Obsolete("The VQ-VAE estimator instance is a side channel (VqVaeEstimator.Fitted); use GenerateMicrostructures(GenerateMicrostructuresOptions), or DecodeMicrostructures with a fitted VqVaeTransformer.")]
    public MicrostructureDecodeEstimator DecodeMicrostructures(
        VqVaeEstimator vqVae,
        string outputColumnName = GenerationColumns.GeneratedImages,
        string inputColumnName = GenerationColumns.GeneratedLatents,
        string predictedAbsorptionColumnName = GenerationColumns.PredictedAbsorption,
        AbsorptionSurrogateTransformer? surrogate = null,
        ComputeDevice device = ComputeDevice.Cpu) =>
        DecodeMicrostructures(vqVae, new MicrostructureDecodeOptions
        {
            OutputColumnName = outputColumnName,
            InputColumnName = inputColumnName,
            PredictedAbsorptionColumnName = predictedAbsorptionColumnName,
            Surrogate = surrogate,
            Device = device,
        });

    /// <summary>The decode step for the chain's VQ-VAE estimator with every setting of <paramref name="options"/>.</summary>
    [Obsolete("The VQ-VAE estimator instance is a side channel (VqVaeEstimator.Fitted); use GenerateMicrostructures(GenerateMicrostructuresOptions), or DecodeMicrostructures with a fitted VqVaeTransformer.")]
    public MicrostructureDecodeEstimator DecodeMicrostructures(VqVaeEstimator vqVae, MicrostructureDecodeOptions options)
    {
        ArgumentNullException.ThrowIfNull(vqVae);
        return new(Context, options, vqVae, null);
    }

    /// <summary>The decode step for an already fitted (or loaded) VQ-VAE and surrogate.</summary>
    public MicrostructureDecodeEstimator DecodeMicrostructures(VqVaeTransformer vqVae, AbsorptionSurrogateTransformer surrogate, MicrostructureDecodeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(vqVae);
        ArgumentNullException.ThrowIfNull(surrogate);
        var settings = options ?? new MicrostructureDecodeOptions();
        var copy = new MicrostructureDecodeOptions
        {
            OutputColumnName = settings.OutputColumnName,
            InputColumnName = settings.InputColumnName,
            PredictedAbsorptionColumnName = settings.PredictedAbsorptionColumnName,
            Surrogate = surrogate,
            Device = settings.Device,
        };
        return new(Context, copy, null, vqVae);
    }

    /// <summary>
    /// The generation estimator: its Fit returns the scoring chain from a target absorption column to generated
    /// designs — GeneratedLatents (Vector&lt;Single, N, L&gt;), InTrainingRange (Boolean), GeneratedImages
    /// (Vector&lt;Single, N, S, S&gt;, binarized) and PredictedAbsorption (Vector&lt;Single, N&gt;), column names as
    /// set in <paramref name="options"/>. Give fitted transformers (<see cref="GenerateMicrostructuresOptions.VqVae"/>,
    /// <see cref="GenerateMicrostructuresOptions.Surrogate"/>, <see cref="GenerateMicrostructuresOptions.Mdn"/>) or let
    /// Fit train the missing ones from microstructure training data (Image and Absorption columns); calibration and
    /// oversampling with the surrogate screen are options. The chain composes with other estimators and saves into one
    /// zip with <c>mlContext.Model.Save</c>.
    /// </summary>
    /// <exception cref="ArgumentException">An option is out of range or pieces that do not belong together; the message names it.</exception>
    public GenerateMicrostructuresEstimator GenerateMicrostructures(GenerateMicrostructuresOptions options) => new(Context, options);

    /// <summary>
    /// A copy of <paramref name="mdn"/> calibrated through <paramref name="decoder"/> (see <see cref="MdnCalibration"/>):
    /// it conditions the MDN on the value whose decoded designs reach each target on average according to the
    /// decoder's surrogate, removing the offset between conditioning value and delivered absorption. Replace the MDN of
    /// a fitted chain with it (e.g. <c>new TransformerChain&lt;ITransformer&gt;(calibrated, decoder)</c>).
    /// </summary>
    /// <param name="mdn">A fitted or loaded MDN.</param>
    /// <param name="decoder">The decode step that follows it (its VQ-VAE and surrogate).</param>
    /// <param name="options">Grid points, draws per point and seed. Default: 24 points of 64 draws, seed 0.</param>
    public MdnTransformer CalibrateMdn(MdnTransformer mdn, MicrostructureDecodeTransformer decoder, MdnCalibrationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(mdn);
        ArgumentNullException.ThrowIfNull(decoder);
        return mdn.WithCalibration(MdnCalibrator.Measure(mdn, decoder, options ?? new MdnCalibrationOptions()));
    }

    /// <summary>
    /// A surrogate screen after decoding: keeps, of the M generated samples of each row, the <paramref name="keep"/>
    /// whose predicted absorption is closest to the row's target (draw M = keep x oversampling latents with the MDN).
    /// </summary>
    /// <param name="keep">Samples kept per row. Default 30.</param>
    /// <param name="targetColumnName">Target absorption column. Default "Absorption".</param>
    public SampleSelectionEstimator SelectClosestSamples(int keep = 30, string targetColumnName = MicrostructureColumns.Absorption) =>
        SelectClosestSamples(new SampleSelectionOptions { Keep = keep, TargetColumnName = targetColumnName });

    /// <summary>The surrogate screen with every setting of <paramref name="options"/>; see <see cref="SampleSelectionOptions"/>.</summary>
    public SampleSelectionEstimator SelectClosestSamples(SampleSelectionOptions options) => new(Context, options);
}
