using MlNetInverse.Models.Devices;
using MlNetInverse.Models.Quantization;
using MlNetInverse.Models.VqVae;
using MlNetInverse.Physics.Runtime;
using TorchSharp;
using static MlNetInverse.Tests.Models.ModelTestData;
using static TorchSharp.torch;

namespace MlNetInverse.Tests.Models;

public sealed class VqVaeModelTests
{
    [Theory]
    [InlineData(16)]
    [InlineData(8)]
    [InlineData(4)]
    public void GivenA64PixelModel_WhenRunForEachLatentGrid_ThenEveryStageHasTheDocumentedShape(int grid)
    {
        using var model = new VqVaeModel(new VqVaeOptions { LatentGridSize = grid, HiddenChannels = 4, CodebookSize = 16, CodeDimension = 5 });
        model.eval();
        using var images = Images(2, 64, seed: 1);
        using var noGrad = no_grad();

        var zE = model.Encode(images);
        var output = model.call(images);

        Assert.Equal(new long[] { 2, 5, grid, grid }, zE.shape);
        Assert.Equal(new long[] { 2, 5, grid, grid }, output.Quantizer.Quantized.shape);
        Assert.Equal(new long[] { 2, grid, grid }, output.Quantizer.Indices.shape);
        Assert.Equal(new long[] { 2, 1, 64, 64 }, output.Reconstruction.shape);
        Assert.Equal(new long[] { 16, 5 }, model.Codebook.shape);
        var pixels = Values(output.Reconstruction);
        Assert.All(pixels, p => Assert.InRange(p, 0f, 1f));
    }

    [Fact]
    public void GivenThePeerBenchmarkOptions_WhenBuilt_ThenTheLayersMatchThePeerScript()
    {
        using var model = new VqVaeModel(VqVaeOptions.PeerBenchmark(512, 16));
        var shapes = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.shape);
        Assert.Equal(new long[] { 32, 1, 4, 4 }, shapes["encoder.0.weight"]);
        Assert.Equal(new long[] { 64, 32, 4, 4 }, shapes["encoder.2.weight"]);
        Assert.Equal(new long[] { 16, 64, 1, 1 }, shapes["encoder.4.weight"]);
        Assert.Equal(new long[] { 16, 64, 1, 1 }, shapes["decoder.0.weight"]);
        Assert.Equal(new long[] { 64, 32, 4, 4 }, shapes["decoder.2.weight"]);
        Assert.Equal(new long[] { 32, 1, 4, 4 }, shapes["decoder.4.weight"]);
        Assert.Equal(new long[] { 512, 16 }, shapes["quantizer.codebook"]);
        Assert.Equal(13, shapes.Count);
    }

    [Fact]
    public void GivenImages_WhenTheReconstructionLossIsBackpropagated_ThenTheEncoderGetsAGradientThroughTheQuantizer()
    {
        using var model = new VqVaeModel(TinyOptions());
        using var images = Images(2, 16, seed: 2);
        var output = model.call(images);
        nn.functional.mse_loss(output.Reconstruction, images).Backpropagate();
        var firstEncoderWeight = model.named_parameters().First(p => p.name == "encoder.0.weight").parameter;
        Assert.NotNull(firstEncoderWeight.grad);
        Assert.True(firstEncoderWeight.grad!.abs().sum().item<float>() > 0);
    }

    [Fact]
    public void GivenCodeIndices_WhenDecodingThem_ThenTheResultEqualsDecodingTheCodebookLookup()
    {
        using var model = new VqVaeModel(TinyOptions(), seed: 3);
        model.eval();
        using var noGrad = no_grad();
        using var indices = tensor(Enumerable.Range(0, 32).Select(i => (long)(i * 5 % 8)).ToArray(), [2, 4, 4]);

        var viaIndices = model.DecodeIndices(indices);
        var lookup = model.Codebook.index_select(0, indices.reshape(-1)).view(2, 4, 4, 3).permute(0, 3, 1, 2);
        var viaLookup = model.Decode(lookup.contiguous());

        Assert.Equal(Values(viaLookup), Values(viaIndices));
    }

    [Fact]
    public void GivenLatentsNearCodes_WhenDecodingContinuously_ThenEachGridVectorSnapsToItsCode()
    {
        using var model = new VqVaeModel(TinyOptions() with { CodebookSize = 4, CodeDimension = 2 });
        model.eval();
        SetCodebook(model.Quantizer, new float[,] { { 0, 0 }, { 1, 0 }, { 0, 1 }, { 1, 1 } });
        using var noGrad = no_grad();
        using var indices = tensor(Enumerable.Range(0, 16).Select(i => (long)(i % 4)).ToArray(), [1, 4, 4]);
        using var noise = Latents(1, 2, 4, seed: 4, scale: 0.2);
        var latents = model.Quantizer.Lookup(indices) + noise;

        Assert.Equal(Values(model.DecodeIndices(indices)), Values(model.DecodeContinuous(latents)));
        Assert.Equal(Values(indices), Values(model.Quantizer.NearestIndices(latents)));
    }

    [Fact]
    public void GivenTheSameSeed_WhenTwoModelsAreBuilt_ThenTheirWeightsAreIdentical_AndAnotherSeedDiffers()
    {
        using var a = new VqVaeModel(TinyOptions(), seed: 12);
        using var b = new VqVaeModel(TinyOptions(), seed: 12);
        using var c = new VqVaeModel(TinyOptions(), seed: 13);
        Assert.Equal(State(a), State(b));
        Assert.NotEqual(State(a), State(c));
    }

    [Theory]
    [InlineData(QuantizerUpdate.Ema)]
    [InlineData(QuantizerUpdate.CodebookLoss)]
    public void GivenATrainedModel_WhenSavedAndLoaded_ThenOutputsAndStateAreBitIdentical(QuantizerUpdate update)
    {
        using var model = new VqVaeModel(TinyOptions(update, deadCodeThreshold: 1), seed: 5);
        using var images = Images(4, 16, seed: 6);
        model.train();
        for (int i = 0; i < 3; i++) model.call(images); // moves the EMA buffers, counters and restarts away from the initial state
        model.eval();

        using var stream = new MemoryStream();
        model.Save(stream);
        Assert.True(stream.CanWrite, "Save must leave the caller's stream open");
        stream.Position = 0;
        using var loaded = VqVaeModel.Load(stream, ComputeDevice.Cpu);

        Assert.Equal(model.Options, loaded.Options);
        Assert.Equal(State(model), State(loaded));
        using var noGrad = no_grad();
        Assert.Equal(Values(model.call(images).Reconstruction), Values(loaded.call(images).Reconstruction));
        Assert.False(loaded.training);
    }

    [Fact]
    public void GivenAModelFile_WhenSavedAndLoaded_ThenTheFileIsCompleteAndNoTempFileRemains()
    {
        using var folder = new TempFolder();
        var path = folder.File("models/vqvae.bin");
        using var model = new VqVaeModel(TinyOptions(), seed: 9);
        model.Save(path);
        using var loaded = VqVaeModel.Load(path);
        Assert.Equal(State(model), State(loaded));
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(path)!));
        Assert.Throws<FileNotFoundException>(() => VqVaeModel.Load(folder.File("missing.bin")));
    }

    [Fact]
    public void GivenAStreamThatIsNotAModel_WhenLoading_ThenAnInvalidDataExceptionSaysSo()
    {
        using var garbage = new MemoryStream([1, 2, 3, 4, 5]);
        Assert.Throws<InvalidDataException>(() => VqVaeModel.Load(garbage));

        using var truncated = new MemoryStream();
        using (var model = new VqVaeModel(TinyOptions())) model.Save(truncated);
        truncated.SetLength(truncated.Length / 2);
        truncated.Position = 0;
        var error = Assert.Throws<InvalidDataException>(() => VqVaeModel.Load(truncated));
        Assert.Contains("VqVaeModel", error.Message);
    }

    [Theory]
    [InlineData(nameof(VqVaeOptions.ImageSize))]
    [InlineData(nameof(VqVaeOptions.CodebookSize))]
    [InlineData(nameof(VqVaeOptions.CodeDimension))]
    [InlineData(nameof(VqVaeOptions.LatentGridSize))]
    [InlineData(nameof(VqVaeOptions.HiddenChannels))]
    [InlineData(nameof(VqVaeOptions.EmaDecay))]
    [InlineData(nameof(VqVaeOptions.LaplaceEpsilon))]
    [InlineData(nameof(VqVaeOptions.CommitmentCost))]
    [InlineData(nameof(VqVaeOptions.DeadCodeThreshold))]
    public void GivenAnOptionOutOfRange_WhenBuildingAModel_ThenTheErrorNamesTheOption(string option)
    {
        var options = option switch
        {
            nameof(VqVaeOptions.ImageSize) => new VqVaeOptions { ImageSize = 48 },
            nameof(VqVaeOptions.CodebookSize) => new VqVaeOptions { CodebookSize = 1 },
            nameof(VqVaeOptions.CodeDimension) => new VqVaeOptions { CodeDimension = 0 },
            nameof(VqVaeOptions.LatentGridSize) => new VqVaeOptions { LatentGridSize = 32 },
            nameof(VqVaeOptions.HiddenChannels) => new VqVaeOptions { HiddenChannels = 0 },
            nameof(VqVaeOptions.EmaDecay) => new VqVaeOptions { EmaDecay = 1 },
            nameof(VqVaeOptions.LaplaceEpsilon) => new VqVaeOptions { LaplaceEpsilon = 0 },
            nameof(VqVaeOptions.CommitmentCost) => new VqVaeOptions { CommitmentCost = double.NaN },
            _ => new VqVaeOptions { DeadCodeThreshold = -1 },
        };
        var error = Assert.Throws<ArgumentException>(() => new VqVaeModel(options));
        Assert.Contains($"VqVaeOptions.{option}", error.Message);
        Assert.Equal(option, error.ParamName);
    }

    [Fact]
    public void GivenImagesOfTheWrongShape_WhenEncoding_ThenTheErrorNamesExpectedAndActualShapes()
    {
        using var model = new VqVaeModel(TinyOptions());
        using var rgb = zeros(2, 3, 16, 16);
        var error = Assert.Throws<ArgumentException>(() => model.Encode(rgb));
        Assert.Contains("[B, 1, 16, 16]", error.Message);
        Assert.Contains("[2, 3, 16, 16]", error.Message);

        using var wrongGrid = zeros(new long[] { 1, 8, 8 }, dtype: ScalarType.Int64);
        Assert.Contains("[B, 4, 4]", Assert.Throws<ArgumentException>(() => model.DecodeIndices(wrongGrid)).Message);
    }
}
