using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetInverse.Cli.Patterns;
using MlNetInverse.Cli.Reports;
using MlNetInverse.ML;
using MlNetInverse.ML.Scoring;
using MlNetInverse.Models.Training;
using MlNetInverse.Models.VqVae;
using MlNetInverse.Physics.Datasets;
using MlNetInverse.Physics.Microstructures;
using MlNetInverse.Physics.Storage;
using MlNetInverse.Tests.Cli;
using MlNetInverse.Tests.ML;
using MlNetInverse.Tests.Models;
using MlNetInverse.Tests.Onnx;
using MlNetInverse.Tests.Scoring;

namespace MlNetInverse.Tests.Reliability;

/// <summary>
/// Every writer goes through a temp file in the same folder and a rename: a failure in the middle of a write leaves
/// the previous file byte for byte and no temp file behind. Faults are injected into the write itself.
/// </summary>
[Collection(TorchDeterminismCollection.Name)]
public sealed class AtomicWriteTests : IDisposable
{
    private const string Previous = "previous version of the file";
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void GivenAnExistingFile_WhenAWriteFailsAfter4096Bytes_ThenThePreviousFileIsIntactAndNoTempFileRemains(bool asynchronous)
    {
        string path = _folder.Write("report.json", Previous);
        var write = FailingStream.WritesThenFails(4096);
        Action attempt = asynchronous
            ? () => AtomicFile.WriteAsync(path, stream => { write(stream); return Task.CompletedTask; }).GetAwaiter().GetResult()
            : () => AtomicFile.Write(path, write);

        var error = Assert.Throws<IOException>(attempt);

        Assert.Contains("injected failure", error.Message);
        Assert.Equal(Previous, File.ReadAllText(path));
        Assert.Empty(FailingStream.Leftovers(_folder.Path, "report.json"));
    }

    [Fact]
    public void GivenTwoWritersOfOneFile_WhenBothAreInTheMiddleOfTheirWrite_ThenEachHasItsOwnTempFileAndTheLastRenameWins()
    {
        string path = _folder.File("shared.json");

        AtomicFile.Write(path, outer =>
        {
            outer.Write("first"u8);
            AtomicFile.WriteAllText(path, "second"); // a fixed temp name would be truncated and renamed away here
            outer.Write(" writer"u8);
        });

        Assert.Equal("first writer", File.ReadAllText(path));
        Assert.Empty(FailingStream.Leftovers(_folder.Path, "shared.json"));
    }

    [Fact]
    public void GivenAModelZip_WhenSavingAnotherModelFailsMidWrite_ThenThePreviousZipStillLoads()
    {
        using var generator = TinyGenerator.Create(samples: 2);
        string path = generator.Save(_folder.File("model.zip"));
        var before = File.ReadAllBytes(path);

        var error = Assert.ThrowsAny<Exception>(() => generator.MlContext.Inverse().SaveModel(new FailingTransformer(), generator.Targets(0.5f).Schema, path));

        Assert.Contains("injected", error.ToString());
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.NotNull(generator.MlContext.Inverse().LoadModel(path, out _));
        Assert.Empty(FailingStream.Leftovers(_folder.Path, "model.zip"));
    }

    public static TheoryData<string> RealWriters =>
    [
        "model zip", "ML.NET data view as Parquet", "dataset Parquet", "latent Parquet", "score part Parquet", "merged score Parquet",
        "VQ-VAE weights", "training checkpoint", "pattern PNG", "reconstruction grid PNG", "generation grid PNG", "histogram PNG",
    ];

    [Theory]
    [MemberData(nameof(RealWriters))]
    public void GivenAFileWrittenBefore_WhenTheSameWriterFailsAfter64BytesOfTheNextVersion_ThenThePreviousFileIsIntactAndNoTempFileRemains(string writer)
    {
        var (name, write) = Writer(writer);
        string path = _folder.File(name);
        write(path, 1);
        var before = File.ReadAllBytes(path);

        Exception error;
        using (FailingStream.FailAfter(64))
            error = Assert.ThrowsAny<Exception>(() => write(path, 2));

        Assert.Contains("injected failure after 64 bytes", error.ToString());
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Empty(FailingStream.Leftovers(_folder.Path, name));
        write(path, 3); // and the writer works again once the fault is gone
        Assert.NotEqual(before, File.ReadAllBytes(path));
    }

    /// <summary>The file name and a writer of version <c>v</c> (contents differ by version) for each real writer.</summary>
    private (string Name, Action<string, int> Write) Writer(string writer)
    {
        var mlContext = new MLContext(seed: 1);
        Directory.CreateDirectory(_folder.File("parts"));
        return writer switch
        {
            "model zip" => ("model.zip", (path, v) =>
            {
                var data = LatentSamples.View(mlContext, 4, seed: v);
                mlContext.Inverse().SaveModel(mlContext.Transforms.CopyColumns("Copy" + v, "Absorption").Fit(data), data.Schema, path);
            }),
            "ML.NET data view as Parquet" => ("view.parquet", (path, v) => mlContext.Inverse().SaveAsParquet(LatentSamples.View(mlContext, 40, seed: v), path)),
            "dataset Parquet" => ("dataset.parquet", (path, v) =>
            {
                var dataset = MicrostructureDatasetFile.ReadAsync(TrainingDatasetFile.WriteTo(_folder.File("parts/source.parquet"))).GetAwaiter().GetResult();
                MicrostructureDatasetFile.WriteAsync(path, dataset with { Records = dataset.Records.Take(10 + v).ToArray() }).GetAwaiter().GetResult();
            }),
            "latent Parquet" => ("latents.parquet", (path, v) => mlContext.Inverse().ExtractLatents(path).Fit(LatentSamples.View(mlContext, 12, seed: v))),
            "score part Parquet" => ("part-00000.parquet", (path, v) => ScoreFile.WritePart(path, Block(v), ScoreImageEncoding.Packed, "{}")),
            "merged score Parquet" => ("scores.parquet", (path, v) =>
            {
                string part = _folder.File("parts/part-00000.parquet");
                ScoreFile.WritePart(part, Block(v), ScoreImageEncoding.Packed, "{}");
                ScoreFile.Merge([part], path, ScoreImageEncoding.Packed, withAbsorption: true, "{}", CancellationToken.None);
            }),
            "VQ-VAE weights" => ("vqvae.bin", (path, v) =>
            {
                using var model = new VqVaeModel(TinyGenerator.VqVaeOptions with { CodebookSize = 8 + v });
                model.Save(path);
            }),
            "training checkpoint" => ("model.zip.checkpoint", (path, v) =>
                new TrainingCheckpoint("VqVaeTrainer", "{}", v, "[]", "", new byte[1000 + v], new byte[500]).Write(path)),
            "pattern PNG" => ("pattern.png", (path, v) => PatternPng.Save(Microstructure.FromBinary(Enumerable.Range(0, 4096).Select(i => (i * v) % 7 < 3).ToArray()), path)),
            "reconstruction grid PNG" => ("grid.png", (path, v) => ReconstructionGridPng.Write(path, [Image(v, 0)], [Image(v, 1)], 64)),
            "generation grid PNG" => ("generated.png", (path, v) => GenerationGridPng.Write(path, [[Image(v, 0), Image(v, 1)]], 64)),
            _ => ("histogram.png", (path, v) => HistogramPng.Write(path, [0.1 * v, 0.2, 0.3], 0, 1, 5, "REP", "%")),
        };
    }

    private static float[] Image(int version, int salt) => Enumerable.Range(0, 4096).Select(i => (i * version + salt) % 5 < 2 ? 1f : 0f).ToArray();

    private static ScoredBlock Block(int version) => Block(Enumerable.Range(0, 2 + version).Select(i => Enumerable.Repeat((byte)(i * 31 + version), 32).ToArray()).ToArray());

    private static ScoredBlock Block(byte[][] images) => new()
    {
        FirstRow = 0, Samples = 1, ImageSize = 16, Targets = images.Select(_ => 0.4f).ToArray(), InTrainingRange = images.Select(_ => true).ToArray(),
        PackedImages = images, Absorption = images.Select((_, i) => 0.41f + 0.01f * i).ToArray(),
    };

    /// <summary>A transformer whose model-zip entry fails while being written.</summary>
    private sealed class FailingTransformer : ITransformer
    {
        public bool IsRowToRowMapper => true;

        public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => inputSchema;

        public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => throw new NotSupportedException();

        public IDataView Transform(IDataView input) => input;

        public void Save(ModelSaveContext ctx) => throw new IOException("injected failure while the model zip is being written");
    }
}
