using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetInverse.ML.Onnx;
using MlNetInverse.Models.Mdn;
using MlNetInverse.Models.Surrogate;
using MlNetInverse.Models.VqVae;
using MlNetInverse.Physics.Morphology;
using MlNetInverse.Tests.Cli;
using MlNetInverse.Tests.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetInverse.Tests.Onnx;

/// <summary>
/// The ONNX export scored through ML.NET's OnnxTransformer (mlContext.Transforms.ApplyOnnxModel, ONNX Runtime) against
/// the TorchSharp modules it was translated from.
/// </summary>
[Collection(TorchDeterminismCollection.Name)]
public sealed class OnnxExportTests : IDisposable
{
    private const double Tolerance = 1e-5;
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void GivenATinyGenerator_WhenTheDecoderGraphRunsThroughApplyOnnxModel_ThenProbabilitiesImagesAndAbsorptionMatchTorchSharp(bool volumeFractionReadout)
    {
        using var generator = TinyGenerator.Create(volumeFractionReadout: volumeFractionReadout);
        var files = OnnxGeneratorExport.Export(generator.Model, _folder.File("generator.onnx"));
        const int count = 12;
        var latents = generator.RandomLatents(count, seed: 1);

        var (probabilities, images, absorption) = RunDecoderGraph(generator.MlContext, files.Decoder, latents, count, generator.LatentDimension);
        var torchResult = generator.TorchDecode(latents, count);

        AssertClose(torchResult.Probabilities, probabilities, "probabilities");
        var compared = AssertImagesMatchTorch(files.Decoder, latents, generator.LatentDimension, probabilities, images, torchResult, generator.Decoder.ImageSize);
        AssertClose(Designs(torchResult.GraphAbsorption, compared, 1), Designs(absorption, compared, 1), "absorption");
        Assert.Contains(images, p => p == 1f);
        Assert.Contains(images, p => p == 0f);
        // The readout moves the threshold: other images than at 0.5.
        if (volumeFractionReadout) Assert.NotEqual(torchResult.Probabilities.Select(p => p > 0.5f ? 1f : 0f), images);
        AssertDesignsFromTheCutGraph(files.Decoder, images, torchResult, generator.Decoder.ImageSize, compared);
    }

    /// <summary>
    /// The graph's images against torch's. Without a readout both cut at 0.5 and agree pixel for pixel. With one, the
    /// graph takes torch's pixel counts (the volume fraction read from the same snapped codes) and cuts its own
    /// probabilities exactly as the host does; across engines the probabilities differ in their last bits, so a design
    /// whose k-th and (k+1)-th most probable pixels lie closer than that may cut at either, and only the others must agree.
    /// </summary>
    /// <returns>The designs compared pixel for pixel across engines.</returns>
    private static int[] AssertImagesMatchTorch(string decoderFile, float[] latents, int latentDimension, float[] probabilities, float[] images, TorchDecoding torchResult, int size)
    {
        int pixels = size * size, count = images.Length / pixels;
        if (torchResult.PixelCounts.Length == 0)
        {
            Assert.Equal(torchResult.GraphImages, images);
            return [.. Enumerable.Range(0, count)];
        }
        Assert.Equal(torchResult.PixelCounts, GraphPixelCounts(decoderFile, latents, count, latentDimension));
        var hostCut = new float[images.Length];
        DesignBinarization.BinarizeOnHost(probabilities, torchResult.PixelCounts, hostCut, size, threads: 1, fillLakes: false);
        Assert.Equal(hostCut, images);

        double engines = torchResult.Probabilities.Zip(probabilities, (t, o) => Math.Abs(t - o)).Max();
        var untied = Enumerable.Range(0, count).Where(d => Gap(torchResult.Probabilities.AsSpan(d * pixels, pixels), torchResult.PixelCounts[d]) > 2 * engines).ToArray();
        Assert.True(untied.Length >= count - 1, $"{count - untied.Length} of {count} designs tie at their cut, too many to compare across engines");
        Assert.Equal(Designs(torchResult.GraphImages, untied, pixels), Designs(images, untied, pixels));
        return untied;

        // Between the k-th and (k+1)-th most probable pixels: closer than the engines' difference, they may swap.
        static double Gap(ReadOnlySpan<float> design, long k)
        {
            var sorted = design.ToArray();
            Array.Sort(sorted, (a, b) => b.CompareTo(a));
            return k < sorted.Length ? sorted[k - 1] - sorted[k] : double.PositiveInfinity;
        }
    }

    private static float[] Designs(float[] values, int[] designs, int length) =>
        [.. designs.SelectMany(d => values.AsSpan(d * length, length).ToArray())];

    private static long[] GraphPixelCounts(string decoderFile, float[] latents, int count, int latentDimension)
    {
        using var session = new Microsoft.ML.OnnxRuntime.InferenceSession(decoderFile);
        using var input = Microsoft.ML.OnnxRuntime.OrtValue.CreateTensorValueFromMemory(latents, [count, latentDimension]);
        using var outputs = session.Run(new Microsoft.ML.OnnxRuntime.RunOptions(), [OnnxGeneratorNames.Latents], [input], [OnnxGeneratorNames.PixelCounts]);
        return [.. outputs[0].GetTensorDataAsSpan<float>().ToArray().Select(c => (long)c)];
    }

    /// <summary>The ONNX engine's route: fill the graph's images on the host, then the surrogate from the images output.</summary>
    private static void AssertDesignsFromTheCutGraph(string decoderFile, float[] graphImages, TorchDecoding torchResult, int size, int[] compared)
    {
        var designs = (float[])graphImages.Clone();
        LakeFilling.Fill<float>(designs, size);
        Assert.Equal(Designs(torchResult.Images, compared, size * size), Designs(designs, compared, size * size));

        byte[] surrogate = OnnxGraphPruning.FromInput(File.ReadAllBytes(decoderFile), OnnxGeneratorNames.Images, OnnxGeneratorNames.Absorption);
        var cut = global::Onnx.ModelProto.Parser.ParseFrom(surrogate).Graph;
        Assert.Equal([OnnxGeneratorNames.Images], cut.Input.Select(i => i.Name));
        Assert.DoesNotContain(cut.Initializer, t => t.Name.StartsWith("codebook", StringComparison.Ordinal));
        int count = designs.Length / (size * size);
        using var session = new Microsoft.ML.OnnxRuntime.InferenceSession(surrogate);
        using var input = Microsoft.ML.OnnxRuntime.OrtValue.CreateTensorValueFromMemory(designs, [count, size * size]);
        using var outputs = session.Run(new Microsoft.ML.OnnxRuntime.RunOptions(), [OnnxGeneratorNames.Images], [input], [OnnxGeneratorNames.Absorption]);
        AssertClose(Designs(torchResult.Absorption, compared, 1), Designs(outputs[0].GetTensorDataAsSpan<float>().ToArray(), compared, 1), "absorption of the filled designs");
    }

    [Theory]
    [InlineData(VqVaeArchitecture.Peer, false)]
    [InlineData(VqVaeArchitecture.Periodic, false)]
    [InlineData(VqVaeArchitecture.Periodic, true)]
    public void GivenTheQuickPipelineArchitecture_WhenExported_ThenOnnxRuntimeMatchesTorchSharpOnRandomLatents(VqVaeArchitecture stacks, bool volumeFractionReadout)
    {
        // 64x64 images, 8x8 grid of D = 8, 32/64 hidden channels, 512 codes, surrogate 16/32/64 channels: the shipped model's shapes.
        var architecture = new VqVaeOptions
        {
            ImageSize = 64, CodebookSize = 512, CodeDimension = 8, LatentGridSize = 8, HiddenChannels = 32, Architecture = stacks,
        };
        using var generator = TinyGenerator.Create(samples: 1, architecture: architecture, surrogateOptions: new AbsorptionSurrogateOptions(), volumeFractionReadout: volumeFractionReadout);
        var files = OnnxGeneratorExport.Export(generator.Model, _folder.File($"quick-{stacks}-{volumeFractionReadout}.onnx"));
        const int count = 6;
        var latents = generator.RandomLatents(count, seed: 2);

        var (probabilities, images, absorption) = RunDecoderGraph(generator.MlContext, files.Decoder, latents, count, generator.LatentDimension);
        var torchResult = generator.TorchDecode(latents, count);

        AssertClose(torchResult.Probabilities, probabilities, "probabilities");
        var compared = AssertImagesMatchTorch(files.Decoder, latents, generator.LatentDimension, probabilities, images, torchResult, architecture.ImageSize);
        AssertClose(Designs(torchResult.GraphAbsorption, compared, 1), Designs(absorption, compared, 1), "absorption");
        // The untrained peer decoder turns random latents into noisy images with lakes to fill; the periodic one into
        // smooth images without.
        if (stacks == VqVaeArchitecture.Peer) Assert.NotEqual(torchResult.GraphImages, torchResult.Images);
        AssertDesignsFromTheCutGraph(files.Decoder, images, torchResult, architecture.ImageSize, compared);
    }

    [Fact]
    public void GivenAnExportedDecoderGraph_WhenCutToItsImages_ThenTheSurrogateBranchIsGoneAndTheImagesAreUnchanged()
    {
        using var generator = TinyGenerator.Create();
        var files = OnnxGeneratorExport.Export(generator.Model, _folder.File("generator.onnx"));
        byte[] full = File.ReadAllBytes(files.Decoder);
        const int count = 8;
        var latents = generator.RandomLatents(count, seed: 3);

        byte[] cut = OnnxGraphPruning.KeepOutputs(full, OnnxGeneratorNames.Images);

        var fullGraph = global::Onnx.ModelProto.Parser.ParseFrom(full).Graph;
        var cutGraph = global::Onnx.ModelProto.Parser.ParseFrom(cut).Graph;
        Assert.Equal([OnnxGeneratorNames.Images], cutGraph.Output.Select(o => o.Name));
        Assert.Contains(fullGraph.Initializer, t => t.Name.StartsWith("stage1", StringComparison.Ordinal));
        Assert.DoesNotContain(cutGraph.Initializer, t => t.Name.StartsWith("stage1", StringComparison.Ordinal) || t.Name.StartsWith("head", StringComparison.Ordinal));
        Assert.True(cutGraph.Node.Count < fullGraph.Node.Count);
        Assert.Equal(Images(full), Images(cut));
        Assert.Throws<ArgumentException>(() => OnnxGraphPruning.KeepOutputs(full, "no such output"));

        float[] Images(byte[] graph)
        {
            using var session = new Microsoft.ML.OnnxRuntime.InferenceSession(graph);
            using var input = Microsoft.ML.OnnxRuntime.OrtValue.CreateTensorValueFromMemory(latents, [count, generator.LatentDimension]);
            using var outputs = session.Run(new Microsoft.ML.OnnxRuntime.RunOptions(), [OnnxGeneratorNames.Latents], [input], [OnnxGeneratorNames.Images]);
            return outputs[0].GetTensorDataAsSpan<float>().ToArray();
        }
    }

    [Fact]
    public void GivenASurrogateWithFourierShells_WhenExported_ThenOnnxRuntimeMatchesTorchSharp()
    {
        using var generator = TinyGenerator.Create(surrogateOptions: new AbsorptionSurrogateOptions { ImageSize = 16, BaseChannels = 2, HiddenUnits = 8, SpectralShells = 8 });
        var files = OnnxGeneratorExport.Export(generator.Model, _folder.File("shells.onnx"));
        const int count = 10;
        var latents = generator.RandomLatents(count, seed: 3);

        var (_, images, absorption) = RunDecoderGraph(generator.MlContext, files.Decoder, latents, count, generator.LatentDimension);
        var torchResult = generator.TorchDecode(latents, count);

        Assert.Equal(torchResult.GraphImages, images);
        AssertClose(torchResult.GraphAbsorption, absorption, "absorption");
        AssertDesignsFromTheCutGraph(files.Decoder, images, torchResult, generator.Decoder.ImageSize, [.. Enumerable.Range(0, count)]);
    }

    [Fact]
    public void GivenATinyMdn_WhenTheMdnGraphRunsThroughApplyOnnxModel_ThenTheMixtureMatchesTorchSharp()
    {
        using var generator = TinyGenerator.Create();
        var files = OnnxGeneratorExport.Export(generator.Model, _folder.File("generator.onnx"));
        float[] conditions = [0.31f, 0.5f, 0.64f, 0.79f, 0.95f];
        var mlContext = generator.MlContext;
        var data = mlContext.Data.LoadFromEnumerable(conditions.Select(c => new ConditionRow { Condition = [c] }));
        var pipeline = mlContext.Transforms.ApplyOnnxModel(
            [OnnxGeneratorNames.LogWeights, OnnxGeneratorNames.Means, OnnxGeneratorNames.Sigmas], [OnnxGeneratorNames.Condition], files.Mdn);
        var output = pipeline.Fit(data).Transform(data);
        var logWeights = output.GetColumn<float[]>(OnnxGeneratorNames.LogWeights).SelectMany(v => v).ToArray();
        var means = output.GetColumn<float[]>(OnnxGeneratorNames.Means).SelectMany(v => v).ToArray();
        var sigmas = output.GetColumn<float[]>(OnnxGeneratorNames.Sigmas).SelectMany(v => v).ToArray();

        using var scope = NewDisposeScope();
        using var mixture = generator.Mdn.Network.Mixture(tensor(conditions));
        AssertClose(mixture.LogWeights.data<float>().ToArray(), logWeights, "log weights");
        AssertClose(mixture.Means.contiguous().data<float>().ToArray(), means, "means");
        AssertClose(mixture.Sigmas.contiguous().data<float>().ToArray(), sigmas, "sigmas");
    }

    [Fact]
    public void GivenAnExport_WhenAGraphIsReplacedAfterwards_ThenLoadingTheManifestNamesTheMismatch()
    {
        using var generator = TinyGenerator.Create();
        var files = OnnxGeneratorExport.Export(generator.Model, _folder.File("generator.onnx"));
        Assert.Equal(generator.LatentDimension, OnnxGeneratorManifest.Load(files.Manifest).LatentDimension);

        var bytes = File.ReadAllBytes(files.Mdn);
        bytes[^1] ^= 0xFF;
        File.WriteAllBytes(files.Mdn, bytes);

        var error = Assert.Throws<InvalidDataException>(() => OnnxGeneratorManifest.Load(files.Manifest));
        Assert.Contains("generator.mdn.onnx", error.Message);
        Assert.Contains("different exports", error.Message);
    }

    [Fact]
    public void GivenALayerTheExportCannotTranslate_WhenTranslated_ThenTheErrorNamesTheLayerAndTheSupportedOnes()
    {
        using var dropout = nn.Dropout(0.1);
        var graph = new OnnxGraphBuilder("test");
        var error = Assert.Throws<NotSupportedException>(() => TorchLayerTranslator.Layer(graph, dropout, "x", "decoder.7"));
        Assert.Contains("'decoder.7'", error.Message);
        Assert.Contains("Dropout", error.Message);
        Assert.Contains("ConvTranspose2d", error.Message);
    }

    [Fact]
    public void GivenAModelWithoutAnMdn_WhenExported_ThenTheErrorSaysItIsNoGenerationModelAndNothingIsWritten()
    {
        using var generator = TinyGenerator.Create();
        var error = Assert.Throws<InvalidDataException>(() => OnnxGeneratorExport.Export(generator.Decoder, _folder.File("generator.onnx")));
        Assert.Contains("no MDN", error.Message);
        Assert.Empty(_folder.Snapshot());
    }

    /// <summary>Runs the decoder graph on [count, L] latents through mlContext.Transforms.ApplyOnnxModel.</summary>
    internal static (float[] Probabilities, float[] Images, float[] Absorption) RunDecoderGraph(MLContext mlContext, string path, float[] latents, int count, int latentDimension)
    {
        var schema = SchemaDefinition.Create(typeof(LatentRow));
        schema[0].ColumnType = new VectorDataViewType(NumberDataViewType.Single, latentDimension);
        var rows = Enumerable.Range(0, count).Select(i => new LatentRow { Latents = latents.AsSpan(i * latentDimension, latentDimension).ToArray() });
        var data = mlContext.Data.LoadFromEnumerable(rows, schema);
        var pipeline = mlContext.Transforms.ApplyOnnxModel(
            [OnnxGeneratorNames.Probabilities, OnnxGeneratorNames.Images, OnnxGeneratorNames.Absorption], [OnnxGeneratorNames.Latents], path);
        var output = pipeline.Fit(data).Transform(data);
        return (output.GetColumn<float[]>(OnnxGeneratorNames.Probabilities).SelectMany(v => v).ToArray(),
            output.GetColumn<float[]>(OnnxGeneratorNames.Images).SelectMany(v => v).ToArray(),
            output.GetColumn<float[]>(OnnxGeneratorNames.Absorption).SelectMany(v => v).ToArray());
    }

    internal static void AssertClose(float[] expected, float[] actual, string what) => AssertCloseWithin(expected, actual, what, Tolerance);

    internal static void AssertCloseWithin(float[] expected, float[] actual, string what, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        double worst = 0;
        for (int i = 0; i < expected.Length; i++) worst = Math.Max(worst, Math.Abs(expected[i] - actual[i]));
        Assert.True(worst <= tolerance, $"{what}: largest difference {worst:E2} exceeds {tolerance:E0}");
    }

    public sealed class LatentRow
    {
        [ColumnName(OnnxGeneratorNames.Latents)]
        public float[] Latents { get; set; } = [];
    }

    public sealed class ConditionRow
    {
        [ColumnName(OnnxGeneratorNames.Condition)]
        [VectorType(1)]
        public float[] Condition { get; set; } = [];
    }
}
