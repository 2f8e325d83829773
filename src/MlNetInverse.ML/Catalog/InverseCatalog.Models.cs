using MlNetInverse.ML.Data;
using MlNetInverse.ML.Surrogate;
using MlNetInverse.ML.VqVae;
using MlNetInverse.Models.Devices;
using MlNetInverse.Models.Surrogate;
using MlNetInverse.Models.VqVae;

namespace MlNetInverse.ML;

public sealed partial class InverseCatalog
{
    /// <summary>
    /// A VQ-VAE estimator: trains on the image column and returns a transformer that adds the quantized latent z_q
    /// (Vector&lt;Single, D*G*G&gt;, element d*G*G + gx*G + gy) and the code indices (Vector&lt;Int32, G*G&gt;). With a
    /// <paramref name="surrogate"/> the loss includes the absorption term (Beta 1.2); without one it is left out. Every
    /// other setting has the default of <see cref="VqVaeEstimatorOptions"/>.
    /// </summary>
    /// <param name="latentColumnName">Latent column to write. Default "Latent".</param>
    /// <param name="codeIndicesColumnName">Code index column to write. Default "CodeIndices".</param>
    /// <param name="imageColumnName">Image column to read (Vector&lt;Single, S*S&gt;, pixels in [0, 1]). Default "Image".</param>
    /// <param name="codebookSize">Codes K. Default 512.</param>
    /// <param name="codeDimension">Code length D. Default 16.</param>
    /// <param name="latentGridSize">Latent grid edge G (cells). Default 16.</param>
    /// <param name="epochs">Passes over the data (epochs). Default 100.</param>
    /// <param name="batchSize">Images per step. Default 128.</param>
    /// <param name="learningRate">Adam learning rate. Default 3e-4.</param>
    /// <param name="surrogate">A fitted absorption surrogate for the absorption loss. Default null: no absorption loss.</param>
    /// <param name="seed">Seed of everything random in training. Default 0.</param>
    /// <param name="device">Cpu, Cuda or Auto. Default Cpu.</param>
    public VqVaeEstimator VqVae(
        string latentColumnName = MicrostructureColumns.Latent,
        string codeIndicesColumnName = MicrostructureColumns.CodeIndices,
        string imageColumnName = MicrostructureColumns.Image,
        int codebookSize = 512,
        int codeDimension = 16,
        int latentGridSize = 16,
        int epochs = 100,
        int batchSize = 128,
        double learningRate = 3e-4,
        AbsorptionSurrogateTransformer? surrogate = null,
        long seed = 0,
        ComputeDevice device = ComputeDevice.Cpu) =>
        VqVae(new VqVaeEstimatorOptions
        {
            LatentColumnName = latentColumnName,
            CodeIndicesColumnName = codeIndicesColumnName,
            ImageColumnName = imageColumnName,
            Network = new VqVaeOptions { CodebookSize = codebookSize, CodeDimension = codeDimension, LatentGridSize = latentGridSize },
            Training = new VqVaeTrainingOptions { Epochs = epochs, BatchSize = batchSize, LearningRate = learningRate, Seed = seed, Device = device },
            Surrogate = surrogate,
        });

    /// <summary>A VQ-VAE estimator with every setting of <paramref name="options"/>; see <see cref="VqVaeEstimatorOptions"/>.</summary>
    /// <exception cref="ArgumentException">A setting is out of range; the message names it.</exception>
    public VqVaeEstimator VqVae(VqVaeEstimatorOptions options) => new(Context, options);

    /// <summary>
    /// The decoder of a fitted VQ-VAE as an estimator (nothing is learned): maps a latent column (continuous values are
    /// snapped to the nearest codes) to an image column Vector&lt;Single, S*S&gt; (sigmoid output, or binarized at 0.5).
    /// The decoder keeps its own copy of the weights and saves them in model zips.
    /// </summary>
    /// <param name="vqVae">A fitted or loaded VQ-VAE (<see cref="VqVaeTransformer.FindIn"/> finds one in a loaded chain).</param>
    /// <param name="outputColumnName">Image column to write. Default "DecodedImage".</param>
    /// <param name="inputColumnName">Latent column to read. Default null: the VQ-VAE's latent column name.</param>
    /// <param name="binarize">Binarize at 0.5 (pixel &gt; 0.5 becomes 1). Default false.</param>
    /// <param name="device">Cpu, Cuda or Auto. Default Cpu.</param>
    public VqVaeDecodeEstimator VqVaeDecode(
        VqVaeTransformer vqVae,
        string outputColumnName = MicrostructureColumns.DecodedImage,
        string? inputColumnName = null,
        bool binarize = false,
        ComputeDevice device = ComputeDevice.Cpu) =>
        VqVaeDecode(vqVae, new VqVaeDecodeOptions
        {
            OutputColumnName = outputColumnName, InputColumnName = inputColumnName, Binarize = binarize, Device = device,
        });

    /// <summary>The decoder of a fitted VQ-VAE with the settings of <paramref name="options"/>; see <see cref="VqVaeDecodeOptions"/>.</summary>
    public VqVaeDecodeEstimator VqVaeDecode(VqVaeTransformer vqVae, VqVaeDecodeOptions options)
    {
        ArgumentNullException.ThrowIfNull(vqVae);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.OutputColumnName, nameof(options.OutputColumnName));
        var model = vqVae.CopyModel(options.Device);
        return new VqVaeDecodeEstimator(new VqVaeDecodeTransformer(
            Context, model, options.OutputColumnName, options.InputColumnName ?? vqVae.LatentColumnName, options.Binarize, options.Device));
    }

    /// <summary>
    /// An absorption surrogate estimator: trains a small CNN from the image column to the absorption label and returns
    /// a transformer that adds the predicted absorption (Single). <paramref name="heldOutFraction"/> of the rows are
    /// held out (seeded) and measured after training. Other settings have the defaults of
    /// <see cref="AbsorptionSurrogateEstimatorOptions"/>.
    /// </summary>
    /// <param name="outputColumnName">Prediction column to write. Default "PredictedAbsorption".</param>
    /// <param name="imageColumnName">Image column to read. Default "Image".</param>
    /// <param name="labelColumnName">Absorption label column. Default "Absorption".</param>
    /// <param name="epochs">Passes over the training rows (epochs). Default 40.</param>
    /// <param name="batchSize">Images per step. Default 64.</param>
    /// <param name="learningRate">Initial Adam learning rate (cosine-annealed). Default 2e-3.</param>
    /// <param name="heldOutFraction">Share of rows held out for the test result, in (0, 1). Default 0.2.</param>
    /// <param name="seed">Seed of everything random in training. Default 0.</param>
    /// <param name="device">Cpu, Cuda or Auto. Default Cpu.</param>
    public AbsorptionSurrogateEstimator AbsorptionSurrogate(
        string outputColumnName = MicrostructureColumns.PredictedAbsorption,
        string imageColumnName = MicrostructureColumns.Image,
        string labelColumnName = MicrostructureColumns.Absorption,
        int epochs = 40,
        int batchSize = 64,
        double learningRate = 2e-3,
        double heldOutFraction = 0.2,
        long seed = 0,
        ComputeDevice device = ComputeDevice.Cpu) =>
        AbsorptionSurrogate(new AbsorptionSurrogateEstimatorOptions
        {
            OutputColumnName = outputColumnName,
            ImageColumnName = imageColumnName,
            LabelColumnName = labelColumnName,
            Training = new SurrogateTrainingOptions
            {
                Epochs = epochs, BatchSize = batchSize, LearningRate = learningRate, HeldOutFraction = heldOutFraction, Seed = seed, Device = device,
            },
        });

    /// <summary>An absorption surrogate estimator with every setting of <paramref name="options"/>.</summary>
    /// <exception cref="ArgumentException">A setting is out of range; the message names it.</exception>
    public AbsorptionSurrogateEstimator AbsorptionSurrogate(AbsorptionSurrogateEstimatorOptions options) => new(Context, options);
}
