using MlNetInverse.Physics.Datasets;
using MlNetInverse.Tests.Models;
using MlNetInverse.Tests.Onnx;
using MlNetInverse.Tests.Scoring;

namespace MlNetInverse.Tests.Cli;

/// <summary>
/// Outputs never destroy inputs or foreign files: an output that is an input is refused; an existing file of another
/// kind, or of the same kind from other settings, is refused unless --overwrite; the same settings reuse it.
/// </summary>
[Collection(TorchDeterminismCollection.Name)]
public sealed class OutputProtectionTests : IDisposable
{
    private const string StackJson = """
        {"period_nm": 350, "materials": {"air": {"eps": "1"}, "si": {"eps": "12+0.5i"}, "glass": {"eps": "2.25"}},
         "superstrate": "air", "patterned_layer": {"material_a": "si", "material_b": "air", "thickness_nm": 100},
         "substrate": "glass", "wavelengths_nm": [500, 600], "solver": {"harmonics": 9}}
        """;

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private CliRun Generate(string output, int seed, params string[] extra) =>
        CliRun.Of(["data", "generate", "--count", "6", "--out", output, "--seed", seed.ToString(), "--stack", _folder.Write("stack.json", StackJson), "--row-group", "3", .. extra]);

    [Fact]
    public async Task GivenAFinishedDatasetOfSeed5_WhenDataGenerateRunsWithSeed6_ThenOneLineRefusesItNamingTheSeedsAndTheFileIsUnchanged()
    {
        string output = _folder.File("campaign.parquet");
        Assert.Equal(0, Generate(output, seed: 5).ExitCode);
        var before = File.ReadAllBytes(output);

        var run = Generate(output, seed: 6);

        Assert.Equal(1, run.ExitCode);
        string line = Assert.Single(run.StderrLines);
        Assert.Contains("holds a dataset with other settings (seed 5 there, 6 now)", line);
        Assert.Contains("--overwrite", line);
        Assert.Equal(before, File.ReadAllBytes(output));
        Assert.Equal(5, (await MicrostructureDatasetFile.ReadAsync(output)).Generation.Seed);
    }

    [Fact]
    public async Task GivenAFinishedDatasetOfSeed5_WhenDataGenerateRunsWithSeed6AndOverwrite_ThenItIsReplaced()
    {
        string output = _folder.File("campaign.parquet");
        Assert.Equal(0, Generate(output, seed: 5).ExitCode);

        var run = Generate(output, seed: 6, "--overwrite");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(6, (await MicrostructureDatasetFile.ReadAsync(output)).Generation.Seed);
    }

    [Fact]
    public void GivenAFinishedDataset_WhenTheSameCommandRunsAgain_ThenItIsReusedAsBefore()
    {
        string output = _folder.File("campaign.parquet");
        Assert.Equal(0, Generate(output, seed: 5).ExitCode);

        var run = Generate(output, seed: 5);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("6 (6 resumed)", run.Stdout);
    }

    [Fact]
    public void GivenAFileThatIsNotADataset_WhenDataGenerateNamesItAsOut_ThenItIsRefusedAndKept()
    {
        string output = _folder.Write("notes.parquet", "my notes");

        var run = Generate(output, seed: 5);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("already exists and is not a dataset file", Assert.Single(run.StderrLines));
        Assert.Equal("my notes", File.ReadAllText(output));
    }

    [Fact]
    public void GivenTargetsFile_WhenScoreWritesItsOutputOverTheSameFile_ThenItIsRefusedAndTheTargetsAreKept()
    {
        using var generator = TinyGenerator.Create(samples: 2);
        string model = generator.Save(_folder.File("model.zip"));
        string targets = ScoringFiles.WriteTargets(_folder.File("t.parquet"), [0.4f, 0.5f]);
        var before = File.ReadAllBytes(targets);

        var run = CliRun.Of("score", "--model", model, "--in", targets, "--out", targets);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("is also an input of this command", Assert.Single(run.StderrLines));
        Assert.Equal(before, File.ReadAllBytes(targets));
    }

    [Fact]
    public void GivenAParquetFileThatIsNotAScoreOutput_WhenScoreWritesOverIt_ThenItIsRefusedUnlessOverwrite()
    {
        using var generator = TinyGenerator.Create(samples: 2);
        string model = generator.Save(_folder.File("model.zip"));
        string targets = ScoringFiles.WriteTargets(_folder.File("t.parquet"), [0.4f, 0.5f]);
        string foreign = ScoringFiles.WriteTargets(_folder.File("other.parquet"), [0.7f]);
        var before = File.ReadAllBytes(foreign);

        var refused = CliRun.Of("score", "--model", model, "--in", targets, "--out", foreign);

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("already exists and is not an output of 'score'", Assert.Single(refused.StderrLines));
        Assert.Equal(before, File.ReadAllBytes(foreign));

        var again = CliRun.Of("score", "--model", model, "--in", targets, "--out", _folder.File("images.parquet"));
        var sameSettings = CliRun.Of("score", "--model", model, "--in", targets, "--out", _folder.File("images.parquet"));
        var otherSeed = CliRun.Of("score", "--model", model, "--in", targets, "--out", _folder.File("images.parquet"), "--seed", "99");
        var overwritten = CliRun.Of("score", "--model", model, "--in", targets, "--out", foreign, "--overwrite");

        Assert.Equal(0, again.ExitCode);
        Assert.Equal(0, sameSettings.ExitCode);
        Assert.Equal(1, otherSeed.ExitCode);
        Assert.Contains("holds scores of other settings (seed differ)", Assert.Single(otherSeed.StderrLines));
        Assert.Equal(0, overwritten.ExitCode);
        Assert.Equal(2, ScoringFiles.Read(foreign).Length);
    }

    [Fact]
    public void GivenAShardFile_WhenDataMergeNamesItAsOut_ThenItIsRefused()
    {
        string output = _folder.File("c.parquet");
        Assert.Equal(0, Generate(output, seed: 5, "--shard", "1/2").ExitCode);
        Assert.Equal(0, Generate(output, seed: 5, "--shard", "2/2").ExitCode);
        string shard1 = _folder.File("c.shard-0001-of-0002.parquet"), shard2 = _folder.File("c.shard-0002-of-0002.parquet");
        var before = File.ReadAllBytes(shard1);

        var run = CliRun.Of("data", "merge", "--out", shard1, shard1, shard2);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("is also an input of this command", Assert.Single(run.StderrLines));
        Assert.Equal(before, File.ReadAllBytes(shard1));
    }

    [Fact]
    public void GivenAFileThatIsNotADataset_WhenDataMergeWritesOverIt_ThenItIsRefusedUnlessOverwrite()
    {
        string output = _folder.File("c.parquet");
        Assert.Equal(0, Generate(output, seed: 5, "--shard", "1/2").ExitCode);
        Assert.Equal(0, Generate(output, seed: 5, "--shard", "2/2").ExitCode);
        string[] shards = [_folder.File("c.shard-0001-of-0002.parquet"), _folder.File("c.shard-0002-of-0002.parquet")];
        string foreign = _folder.Write("merged.parquet", "not a dataset");

        var refused = CliRun.Of(["data", "merge", "--out", foreign, .. shards]);
        var overwritten = CliRun.Of(["data", "merge", "--out", foreign, "--overwrite", .. shards]);
        var rerun = CliRun.Of(["data", "merge", "--out", foreign, .. shards]);

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("already exists and is not a dataset file", Assert.Single(refused.StderrLines));
        Assert.Equal(0, overwritten.ExitCode);
        Assert.Equal(0, rerun.ExitCode);
    }
}
