using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using MlNetInverse.ML;
using MlNetInverse.ML.Generation;
using MlNetInverse.ML.Mdn;
using MlNetInverse.Models.Devices;
using MlNetInverse.Models.Mdn;
using MlNetInverse.Models.Surrogate;
using MlNetInverse.Models.VqVae;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MlNetInverse.Tests.Onnx;

/// <summary>
/// A generation model built in milliseconds without training: seeded random weights, 16x16 images, a 4x4 latent grid
/// of D = 4 (L = 64), 16 codes, a 3-component MDN with a non-trivial normalisation and range [0.3, 0.8], and a
/// surrogate with circular padding. The decoder's last layer is scaled up so pixels are decisive (far from 0.5) and
/// binarization cannot flip on rounding differences between runtimes.
/// </summary>
internal sealed class TinyGenerator : IDisposable
{
    public const string TargetColumn = "Absorption";

    public static readonly VqVaeOptions VqVaeOptions = new() { ImageSize = 16, CodebookSize = 16, CodeDimension = 4, LatentGridSize = 4, HiddenChannels = 4 };

    private TinyGenerator(MLContext mlContext, MdnTransformer mdn, MicrostructureDecodeTransformer decoder)
    {
        MlContext = mlContext;
        Mdn = mdn;
        Decoder = decoder;
        Model = new TransformerChain<ITransformer>(mdn, decoder);
    }

    public MLContext MlContext { get; }

    public MdnTransformer Mdn { get; }

    public MicrostructureDecodeTransformer Decoder { get; }

    public ITransformer Model { get; }

    public int LatentDimension => Mdn.LatentDimension;

    public int Pixels => Decoder.ImageSize * Decoder.ImageSize;

    /// <summary>Builds the generator; <paramref name="samples"/> draws per target with seed 7.</summary>
    public static TinyGenerator Create(int samples = 4, MdnCalibration? calibration = null, VqVaeOptions? architecture = null, AbsorptionSurrogateOptions? surrogateOptions = null,
        bool correlatedNoise = false, int noiseBands = 0, bool volumeFractionReadout = false)
    {
        var mlContext = new MLContext(seed: 0);
        var options = architecture ?? VqVaeOptions;
        var vqVae = new VqVaeModel(options, seed: 3);
        var surrogate = new AbsorptionSurrogateModel(surrogateOptions ?? new AbsorptionSurrogateOptions { ImageSize = options.ImageSize, BaseChannels = 2, HiddenUnits = 8 }, seed: 5);
        surrogate.SetLabelScale(0.55, 0.12);
        Sharpen(vqVae);
        int l = options.CodeDimension * options.LatentGridSize * options.LatentGridSize;
        // Random latents (+-0.2) then ask for volume fractions of about 0.4 +- 0.25.
        if (volumeFractionReadout)
        {
            var readoutRandom = new Random(19);
            vqVae.VolumeFractionReadout = new VolumeFractionReadout(
                Enumerable.Range(0, l).Select(_ => (float)(readoutRandom.NextDouble() - 0.5) * 2.6f / MathF.Sqrt(l)).ToArray(), 0.4f);
        }
        var network = new MixtureDensityNetwork(new MdnOptions { Components = 3, HiddenUnits = 8, HiddenLayers = 2, LatentDimension = l, CorrelatedNoise = correlatedNoise, NoiseBands = noiseBands }, seed: 11);
        var random = new Random(13);
        if (correlatedNoise && noiseBands > 1)
        {
            using var factors = stack(Enumerable.Range(0, noiseBands).Select(b => RandomCholeskyFactor(l, new Random(17 + b))).ToArray());
            network.SetNoiseFactors(factors, Enumerable.Range(0, noiseBands).Select(b => (double)(float)(0.4 + 0.35 * b / (noiseBands - 1))).ToArray());
        }
        else if (correlatedNoise) network.SetNoiseFactor(RandomCholeskyFactor(l, new Random(17)));
        network.SetNormalization(new MdnNormalization(0.55, 0.1,
            Enumerable.Range(0, l).Select(_ => (float)(random.NextDouble() - 0.5) * 0.2f).ToArray(),
            Enumerable.Range(0, l).Select(_ => (float)(0.5 + random.NextDouble())).ToArray(), 0.3, 0.8));
        var env = (IHostEnvironment)mlContext;
        var mdn = new MdnTransformer(env, network, "GeneratedLatents", TargetColumn, "InTrainingRange", samples, 7, ComputeDevice.Cpu,
            stack: null, heldOut: null, trainingSummary: null, calibration);
        var decoder = new MicrostructureDecodeTransformer(env, vqVae, surrogate, samples, "GeneratedImages", "PredictedAbsorption", "GeneratedLatents", ComputeDevice.Cpu);
        return new TinyGenerator(mlContext, mdn, decoder);
    }

    /// <summary>The Cholesky factor of a random correlation matrix [l, l] with strong off-diagonal terms.</summary>
    public static Tensor RandomCholeskyFactor(int l, Random random)
    {
        using var scope = NewDisposeScope();
        var a = tensor(Enumerable.Range(0, l * l).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray(), [l, l]);
        var covariance = a.matmul(a.t()).add(eye(l).mul(0.1));
        var deviation = covariance.diagonal().sqrt();
        return linalg.cholesky(covariance.div(deviation.unsqueeze(1)).div(deviation.unsqueeze(0))).MoveToOuterDisposeScope();
    }

    /// <summary>Saves the chain as a model zip whose input is one Single column <see cref="TargetColumn"/>.</summary>
    public string Save(string path)
    {
        var schema = Targets(0.5f).Schema;
        MlContext.Inverse().SaveModel(Model, schema, path);
        return path;
    }

    /// <summary>
    /// The generation estimator's chain from this MDN and decoder (copies): <paramref name="designs"/> x
    /// <paramref name="oversampling"/> draws per target, with the surrogate screen when oversampling is above 1 (keeping
    /// equal shares of <paramref name="volumeFractionStrata"/> strata, or drawn by weight at <paramref name="screenSoftness"/>).
    /// </summary>
    public TransformerChain<ITransformer> Chain(int designs, int oversampling, int volumeFractionStrata = 1, double screenSoftness = 0) =>
        MlContext.Inverse().GenerateMicrostructures(new GenerateMicrostructuresOptions
        {
            Mdn = Mdn, Decoder = Decoder, SamplesPerTarget = designs, Oversampling = oversampling, ScreenVolumeFractionStrata = volumeFractionStrata,
            ScreenSoftness = screenSoftness, TargetColumnName = TargetColumn,
            LatentsColumnName = "GeneratedLatents", InTrainingRangeColumnName = "InTrainingRange", OutputColumnName = "GeneratedImages",
            PredictedAbsorptionColumnName = "PredictedAbsorption",
        }).Fit(Targets(0.5f));

    /// <summary>Saves <paramref name="model"/> (a chain over this generator's target column) as a model zip.</summary>
    public string Save(ITransformer model, string path)
    {
        MlContext.Inverse().SaveModel(model, Targets(0.5f).Schema, path);
        return path;
    }

    /// <summary>A table of targets in column <see cref="TargetColumn"/>.</summary>
    public IDataView Targets(params float[] targets) =>
        MlContext.Data.LoadFromEnumerable(targets.Select(t => new TargetRow { Absorption = t }).ToArray());

    /// <summary>Seeded latents near the codebook's scale: [count, L].</summary>
    public float[] RandomLatents(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count * LatentDimension).Select(_ => (float)(random.NextDouble() * 2 - 1) * 0.2f).ToArray();
    }

    /// <summary>
    /// The torch decode of <paramref name="latents"/>: probabilities, the designs and their absorption; and what the
    /// exported graph alone computes (images without speckle, lakes not filled, and their absorption).
    /// </summary>
    public TorchDecoding TorchDecode(float[] latents, int count)
    {
        var o = Decoder.Architecture;
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var input = tensor(latents, [count, o.CodeDimension, o.LatentGridSize, o.LatentGridSize]);
        var probabilities = Decoder.VqVae.DecodeContinuous(input);
        var volumeFractions = Decoder.VqVae.VolumeFractionReadout?.Read(Decoder.VqVae.Quantizer.Lookup(Decoder.VqVae.Quantizer.NearestIndicesForDecoding(input)));
        var designs = DesignBinarization.Binarize(probabilities, volumeFractions);
        Assert.Equal(Values(designs), Values(Decoder.VqVae.DecodeDesigns(input)));
        var graphImages = DesignBinarization.WithoutSpeckle(probabilities, volumeFractions);
        long[] pixelCounts = volumeFractions is null ? [] : DesignBinarization.PixelCounts(volumeFractions, o.ImageSize * o.ImageSize);
        return new TorchDecoding(Values(probabilities), Values(designs), Values(Decoder.Surrogate.call(designs)),
            Values(graphImages), Values(Decoder.Surrogate.call(graphImages)), pixelCounts);

        static float[] Values(Tensor t) => t.contiguous().data<float>().ToArray();
    }

    public void Dispose()
    {
        Mdn.Dispose();
        Decoder.Dispose();
    }

    private static void Sharpen(VqVaeModel vqVae)
    {
        var decoder = (Sequential)vqVae.named_children().Single(c => c.name == "decoder").module;
        var last = decoder.named_children().Select(c => c.module).OfType<ConvTranspose2d>().Last();
        using var noGrad = no_grad();
        last.weight!.mul_(25);
    }

    public sealed class TargetRow
    {
        public float Absorption { get; set; }
    }
}

/// <summary>
/// A torch decode: the product's designs and what the exported graph computes before the host fills lakes;
/// <paramref name="PixelCounts"/> is each design's material A before speckle (empty without a readout).
/// </summary>
internal sealed record TorchDecoding(float[] Probabilities, float[] Images, float[] Absorption, float[] GraphImages, float[] GraphAbsorption, long[] PixelCounts);
