using MlNetInverse.Cli.Commands;
using MlNetInverse.ML.Generation;
using MlNetInverse.Tests.Models;
using MlNetInverse.Tests.Onnx;

namespace MlNetInverse.Tests.Cli;

/// <summary>
/// generate makes each target's designs in chunks of candidates so its memory does not grow with --count; the folder
/// it writes must not depend on the chunk size: designs.csv, every design PNG and grid.png byte for byte.
/// </summary>
[Collection(TorchDeterminismCollection.Name)]
public sealed class GenerateChunkedTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData(1, "300")]
    [InlineData(3, "100")]
    public void GivenSmallChunks_WhenGenerated_ThenTheFolderIsByteIdenticalToAOneChunkRun(int oversampling, string count)
    {
        using var generator = TinyGenerator.Create();
        int designs = int.Parse(count);
        string model = generator.Save(generator.Chain(designs, oversampling), _folder.File("model.zip"));
        Assert.True(designs * oversampling > 2 * MicrostructureDecodeTransformer.DecodeBlock, "the chunked run must take several chunks");
        string[] args = ["generate", "--model", model, "--targets", "0.45,0.6", "--count", count];

        var oneChunk = Run(ChunkedGeneration.DefaultChunkSize * 4, [.. args, "--out", _folder.File("one")]);
        var chunked = Run(MicrostructureDecodeTransformer.DecodeBlock, [.. args, "--out", _folder.File("chunked")]);

        Assert.True(oneChunk.ExitCode == 0, oneChunk.Stderr);
        Assert.True(chunked.ExitCode == 0, chunked.Stderr);
        var expected = Files(_folder.File("one"));
        var actual = Files(_folder.File("chunked"));
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        Assert.Equal(2 * designs + 2, expected.Count); // the PNGs, designs.csv and grid.png
        foreach (var (name, bytes) in expected) Assert.True(bytes.AsSpan().SequenceEqual(actual[name]), $"{name} differs");
        Assert.Equal(2 * designs + 1, File.ReadAllLines(_folder.File("chunked/designs.csv")).Length);
    }

    private static CliRun Run(int chunkSize, string[] args)
    {
        GenerateCommand.ChunkSize.Value = chunkSize;
        try
        {
            return CliRun.Of(args);
        }
        finally
        {
            GenerateCommand.ChunkSize.Value = null;
        }
    }

    private static Dictionary<string, byte[]> Files(string folder) =>
        Directory.GetFiles(folder, "*", SearchOption.AllDirectories)
            .Where(f => !Path.GetFileName(f).StartsWith('.')) // the run's lock file
            .ToDictionary(f => Path.GetRelativePath(folder, f), File.ReadAllBytes);
}
