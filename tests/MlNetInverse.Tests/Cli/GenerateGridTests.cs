using System.Buffers.Binary;
using MlNetInverse.Cli.Commands;
using MlNetInverse.Tests.Models;
using MlNetInverse.Tests.Onnx;

namespace MlNetInverse.Tests.Cli;

/// <summary>
/// grid.png shows at most the first <see cref="GenerateCommand.GridDesignsPerTarget"/> designs per target, so a large
/// --count no longer makes an image too wide to encode at the very end of the run (every design still gets its PNG).
/// </summary>
[Collection(TorchDeterminismCollection.Name)]
public sealed class GenerateGridTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void GivenMoreDesignsThanTheGridShows_WhenGenerated_ThenTheGridIsAsWideAsTheCapAndEveryDesignHasItsPng()
    {
        using var generator = TinyGenerator.Create(samples: 2);
        string model = generator.Save(_folder.File("model.zip"));
        int cap = GenerateCommand.GridDesignsPerTarget;

        var atCap = CliRun.Of("generate", "--model", model, "--target", "0.5", "--count", cap.ToString(), "--out", _folder.File("cap"));
        var beyond = CliRun.Of("generate", "--model", model, "--target", "0.5", "--count", (cap + 8).ToString(), "--out", _folder.File("beyond"));

        Assert.True(atCap.ExitCode == 0, atCap.Stderr);
        Assert.True(beyond.ExitCode == 0, beyond.Stderr);
        Assert.Equal(Width(_folder.File("cap/grid.png")), Width(_folder.File("beyond/grid.png")));
        Assert.Equal(cap + 8, Directory.GetFiles(_folder.File("beyond/target-0.500"), "design-*.png").Length);
    }

    [Fact]
    public void GivenAFolderOfAnEarlierRunWithMoreDesignsAndOtherTargets_WhenGeneratedAgain_ThenOnlyTheNewRunsDesignsRemain()
    {
        using var generator = TinyGenerator.Create(samples: 2);
        string model = generator.Save(_folder.File("model.zip"));
        string output = _folder.File("generated");
        Assert.Equal(0, CliRun.Of("generate", "--model", model, "--targets", "0.4,0.5", "--count", "6", "--out", output).ExitCode);

        var run = CliRun.Of("generate", "--model", model, "--target", "0.5", "--count", "3", "--out", output);

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.False(Directory.Exists(Path.Combine(output, "target-0.400")));
        var listed = File.ReadAllLines(Path.Combine(output, "designs.csv")).Skip(1).Select(line => line.Split(',')[^1]).Order().ToArray();
        var onDisk = Directory.GetFiles(output, "design-*.png", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(output, f)).Order().ToArray();
        Assert.Equal(listed, onDisk);
        Assert.Equal(3, onDisk.Length);
    }

    /// <summary>The PNG's width from its IHDR chunk (big-endian at byte 16).</summary>
    private static int Width(string png) => BinaryPrimitives.ReadInt32BigEndian(File.ReadAllBytes(png).AsSpan(16, 4));
}
