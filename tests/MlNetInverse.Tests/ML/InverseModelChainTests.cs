using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetInverse.ML;
using MlNetInverse.ML.Data;
using MlNetInverse.ML.Surrogate;
using MlNetInverse.ML.VqVae;
using MlNetInverse.Tests.Cli;
using MlNetInverse.Tests.Models;

namespace MlNetInverse.Tests.ML;

/// <summary>
/// A fitted chain of a built-in ML.NET transform, the absorption surrogate, the VQ-VAE (absorption loss through a
/// surrogate trained in Fit) and the VQ-VAE decoder: saved, loaded in a fresh context and in a fresh process.
/// </summary>
[Collection(TorchDeterminismCollection.Name)]
public sealed class InverseModelChainTests : IDisposable
{
    private static readonly string[] OutputColumns =
        ["ScaledAbsorption", MicrostructureColumns.PredictedAbsorption, MicrostructureColumns.Latent, MicrostructureColumns.CodeIndices, MicrostructureColumns.DecodedImage];

    private readonly TempFolder _folder = new();
    private readonly MLContext _mlContext = new(seed: 1);
    private readonly IDataView _train;
    private readonly IDataView _test;
    private readonly ITransformer _model;

    public InverseModelChainTests()
    {
        _train = InverseModelData.View(_mlContext, 96);
        _test = _mlContext.Data.LoadFromEnumerable(InverseModelData.Rows(120).Skip(96).ToArray());
        var vqVaeOptions = InverseModelData.TinyVqVae();
        vqVaeOptions.SurrogateTraining = InverseModelData.TinySurrogate();
        var fitted = _mlContext.Transforms.NormalizeMinMax("ScaledAbsorption", MicrostructureColumns.Absorption)
            .Append(_mlContext.Inverse().AbsorptionSurrogate(InverseModelData.TinySurrogate()))
            .Append(_mlContext.Inverse().VqVae(vqVaeOptions))
            .Fit(_train);
        var decoder = _mlContext.Inverse().VqVaeDecode(VqVaeTransformer.FindIn(fitted)!, binarize: true).Fit(fitted.Transform(_train));
        _model = fitted.Append(decoder);
    }

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void GivenTheFittedChain_WhenSavedAndLoadedInAFreshContext_ThenEveryOutputColumnIsBitIdentical()
    {
        var path = _folder.File("chain.zip");
        _mlContext.Inverse().SaveModel(_model, _train.Schema, path);

        var fresh = new MLContext(seed: 42);
        var loaded = fresh.Inverse().LoadModel(path, out var inputSchema);

        Assert.Equal(_train.Schema.Select(c => (c.Name, c.Type)), inputSchema.Select(c => (c.Name, c.Type)));
        foreach (var column in OutputColumns)
            Assert.Equal(InverseModelData.Bits(_model.Transform(_test), column), InverseModelData.Bits(loaded.Transform(_test), column));
        Assert.Equal(_model.GetOutputSchema(_test.Schema).Select(c => (c.Name, c.Type, c.IsHidden)),
            loaded.GetOutputSchema(_test.Schema).Select(c => (c.Name, c.Type, c.IsHidden)));
    }

    [Fact]
    public void GivenTheSavedChain_WhenLoadedInAFreshProcessOnParquetRows_ThenEveryOutputColumnIsBitIdentical()
    {
        var path = _folder.File("chain.zip");
        _mlContext.Inverse().SaveModel(_model, _train.Schema, path);
        var input = _folder.File("test.parquet");
        _mlContext.Inverse().SaveAsParquet(_test, input);

        var child = FreshProcessModelRun.ColumnBits(path, input, _folder.File("bits.txt"), OutputColumns);

        Assert.Equal(OutputColumns.SelectMany(c => InverseModelData.Bits(_model.Transform(_test), c)), child);
    }

    [Fact]
    public void GivenTheLoadedChain_WhenUsedThroughAPredictionEngine_ThenItPredictsLikeTheBatchedTransform()
    {
        var path = _folder.File("chain.zip");
        _mlContext.Model.Save(_model, _train.Schema, path);
        var loaded = new MLContext().Model.Load(path, out _);
        using var engine = new MLContext().Model.CreatePredictionEngine<InverseModelData.Row, Prediction>(loaded);
        var rows = InverseModelData.Rows(120).Skip(96).Take(6).ToArray();
        var batched = _model.Transform(_mlContext.Data.LoadFromEnumerable(rows));
        var absorption = batched.GetColumn<float>(MicrostructureColumns.PredictedAbsorption).ToArray();
        var codes = batched.GetColumn<int[]>(MicrostructureColumns.CodeIndices).ToArray();
        var decoded = batched.GetColumn<float[]>(MicrostructureColumns.DecodedImage).ToArray();

        for (int i = 0; i < rows.Length; i++)
        {
            var prediction = engine.Predict(rows[i]);
            Assert.Equal(BitConverter.SingleToInt32Bits(absorption[i]), BitConverter.SingleToInt32Bits(prediction.PredictedAbsorption));
            Assert.Equal(codes[i], prediction.CodeIndices);
            Assert.Equal(decoded[i], prediction.DecodedImage);
        }
    }

    [Fact]
    public void GivenTheFittedChain_WhenTheDecoderRunsOnTheVqVaeLatent_ThenItReproducesTheBinarizedReconstruction()
    {
        var vqVae = VqVaeTransformer.FindIn(_model)!;
        using var withReconstruction = _mlContext.Inverse().VqVaeDecode(vqVae, "Reconstruction").Fit(vqVae.Transform(_test));
        var output = withReconstruction.Transform(_model.Transform(_test));

        var reconstructions = output.GetColumn<float[]>("Reconstruction").ToArray();
        var decoded = output.GetColumn<float[]>(MicrostructureColumns.DecodedImage).ToArray();

        Assert.Equal(reconstructions.Select(r => r.Select(p => p > 0.5f ? 1f : 0f)), decoded);
        Assert.All(decoded.SelectMany(d => d), p => Assert.True(p is 0f or 1f));
    }

    [Fact]
    public void GivenTheSavedChain_WhenTheSurrogateIsFound_ThenItKeepsItsHeldOutErrors()
    {
        var path = _folder.File("chain.zip");
        _mlContext.Inverse().SaveModel(_model, _train.Schema, path);

        var loaded = AbsorptionSurrogateTransformer.FindIn(new MLContext().Inverse().LoadModel(path, out _))!;
        var original = AbsorptionSurrogateTransformer.FindIn(_model)!;

        Assert.NotNull(original.HeldOut);
        Assert.Equal(original.HeldOut, loaded.HeldOut);
        Assert.Equal(19, loaded.HeldOut!.Count); // 20 % of 96 rows, rounded
        Assert.Null(VqVaeTransformer.FindIn(new MLContext().Inverse().LoadModel(path, out _))!.TrainingSummary);
    }

    [Fact]
    public void GivenATruncatedChainZip_WhenLoaded_ThenTheErrorIsOneLineNamingTheFile()
    {
        var path = _folder.File("chain.zip");
        _mlContext.Inverse().SaveModel(_model, _train.Schema, path);
        ModelZipSurgery.Truncate(path, 0.7);

        var error = Assert.Throws<InvalidDataException>(() => new MLContext().Inverse().LoadModel(path, out _));

        Assert.StartsWith($"Model file '{path}' cannot be loaded: the model zip is truncated or corrupted", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void GivenAFlippedByteInTheVqVaeWeights_WhenLoaded_ThenTheChecksumErrorNamesTheVqVae()
    {
        var path = _folder.File("chain.zip");
        _mlContext.Inverse().SaveModel(_model, _train.Schema, path);
        string entry = VqVaeWeightEntry(path);
        ModelZipSurgery.RewriteEntry(path, entry, bytes =>
        {
            bytes[bytes.Length / 2] ^= 0x01;
            return bytes;
        });

        var error = Assert.Throws<InvalidDataException>(() => new MLContext().Inverse().LoadModel(path, out _));

        Assert.Contains("VQ-VAE: weight stream 'TorchWeights.bin' fails its SHA-256 check", error.Message);
    }

    /// <summary>The weight entry next to the VQ-VAE's Model.key (found by its model signature).</summary>
    private static string VqVaeWeightEntry(string path)
    {
        using var zip = System.IO.Compression.ZipFile.OpenRead(path);
        foreach (var key in zip.Entries.Where(e => e.Name == "Model.key"))
        {
            using var stream = key.Open();
            var header = new byte[0x48];
            stream.ReadExactly(header);
            if (System.Text.Encoding.ASCII.GetString(header, 0x40, 8) == "VQVAETRF")
                return key.FullName[..^"Model.key".Length] + "TorchWeights.bin";
        }
        throw new InvalidOperationException("no VQ-VAE entry in the zip");
    }

    private sealed class Prediction
    {
        public float PredictedAbsorption { get; set; }

        public int[] CodeIndices { get; set; } = [];

        public float[] DecodedImage { get; set; } = [];
    }
}
