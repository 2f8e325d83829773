using System.Globalization;
using MlNetInverse.Tests.Models;

namespace MlNetInverse.Tests.Cli;

/// <summary>
/// <c>generate --verify --shard I/N</c> on the tiny model of the evaluate tests: each shard simulates its share of the
/// designs into OUT/rcwa/, the run that finds every design stored writes the same designs.csv as one unsharded run.
/// </summary>
[Collection(TorchDeterminismCollection.Name)]
public sealed class GenerateVerifyShardTests : IClassFixture<EvaluateCommandTests.EvaluatedRun>
{
    private readonly EvaluateCommandTests.EvaluatedRun _run;

    public GenerateVerifyShardTests(EvaluateCommandTests.EvaluatedRun run) => _run = run;

    private CliRun Generate(string outName, params string[] extra) => CliRun.Of(
        ["generate", "--model", _run.Model, "--targets", _run.TargetList, "--count", "3", "--seed", "4", "--out", _run.Out(outName), "--threads", "2", .. extra]);

    /// <summary>The console wraps long lines; the tests read them as one.</summary>
    private static string OneLine(string stdout) => System.Text.RegularExpressions.Regex.Replace(stdout, @"\s+", " ");

    private static string[][] Rows(string folder) =>
        File.ReadAllLines(Path.Combine(folder, "designs.csv")).Skip(1).Select(l => l.Split(',')).ToArray();

    [Fact]
    public void GivenTwoShards_WhenEachVerifiesItsShare_ThenTheFirstOnlyStoresAndTheSecondWritesTheSameDesignsAsOneRun()
    {
        var plain = Generate("plain", "--verify");
        var first = Generate("sharded", "--verify", "--shard", "1/2");

        Assert.True(plain.ExitCode == 0, plain.Stderr);
        Assert.True(first.ExitCode == 0, first.Stderr);
        Assert.Contains("3 of 6 designs simulated and stored", OneLine(first.Stdout));
        Assert.True(File.Exists(Path.Combine(_run.Out("sharded"), "rcwa", "shard-0001-of-0002.json")));
        Assert.False(File.Exists(Path.Combine(_run.Out("sharded"), "designs.csv")));

        var second = Generate("sharded", "--verify", "--shard", "2/2");

        Assert.True(second.ExitCode == 0, second.Stderr);
        Assert.Contains("RCWA: 3 of 6 designs to simulate (shard 2/2 (from --shard): designs 4..6), 3 stored", OneLine(second.Stdout));
        var expected = Rows(_run.Out("plain"));
        var actual = Rows(_run.Out("sharded"));
        Assert.Equal(6, actual.Length);
        Assert.Equal(expected.Select(r => r[..4]), actual.Select(r => r[..4]));
        for (int i = 0; i < expected.Length; i++)
        {
            double a = double.Parse(expected[i][4], CultureInfo.InvariantCulture), b = double.Parse(actual[i][4], CultureInfo.InvariantCulture);
            Assert.True(Math.Abs(a - b) < 1e-12, $"design {i}: one run {a:R}, shards {b:R}");
        }

        var again = Generate("sharded", "--verify");

        Assert.True(again.ExitCode == 0, again.Stderr);
        Assert.Contains("RCWA: 0 of 6 designs to simulate, 6 stored", OneLine(again.Stdout));
    }

    [Fact]
    public void GivenAStoredVerificationWithAChangedValue_WhenVerifiedAgain_ThenTheFileIsNamedAndItsDesignsAreSimulatedAgain()
    {
        var plain = Generate("damaged-plain", "--verify");
        var shard = Generate("damaged", "--verify", "--shard", "1/2");
        Assert.True(plain.ExitCode == 0 && shard.ExitCode == 0, plain.Stderr + shard.Stderr);
        var stored = Path.Combine(_run.Out("damaged"), "rcwa", "shard-0001-of-0002.json");
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(stored))!;
        var values = json["rcwa_absorption"]!.AsArray();
        values[0] = values[0]!.GetValue<double>() + 0.1;   // a plausible value, silently wrong: only the checksum sees it
        File.WriteAllText(stored, json.ToJsonString());

        var again = Generate("damaged", "--verify");

        Assert.True(again.ExitCode == 0, again.Stderr);
        Assert.Contains($"warning: stored RCWA verification '{stored}' is damaged (its content does not match its SHA-256); its designs are simulated again.", OneLine(again.Stderr));
        Assert.Contains("RCWA: 6 of 6 designs to simulate, 0 stored", OneLine(again.Stdout));
        Assert.Equal(Rows(_run.Out("damaged-plain")).Select(r => r[..5]), Rows(_run.Out("damaged")).Select(r => r[..5]));
    }

    [Fact]
    public void GivenTheTrainingFolderAsOut_WhenGenerateRuns_ThenItIsRefusedNamingItsFilesUnlessOverwrite()
    {
        string artifacts = Path.GetDirectoryName(_run.Model)!;
        var refused = CliRun.Of("generate", "--model", _run.Model, "--targets", _run.TargetList, "--count", "2", "--out", artifacts);

        Assert.Equal(1, refused.ExitCode);
        Assert.Matches(@"^error: '.*artifacts' already exists and holds files that are no output of 'generate' \('checkpoints', .*\); replacing it needs --overwrite", Assert.Single(refused.StderrLines));
        Assert.False(File.Exists(Path.Combine(artifacts, "designs.csv")));
    }

    [Fact]
    public void GivenAFolderWithAnUnrelatedFile_WhenGenerateRunsWithOverwrite_ThenItWritesAndKeepsTheFile()
    {
        Directory.CreateDirectory(_run.Out("mixed"));
        File.WriteAllText(Path.Combine(_run.Out("mixed"), "notes.txt"), "mine");

        Assert.Equal(1, Generate("mixed").ExitCode);
        var run = Generate("mixed", "--overwrite");

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.True(File.Exists(Path.Combine(_run.Out("mixed"), "designs.csv")));
        Assert.Equal("mine", File.ReadAllText(Path.Combine(_run.Out("mixed"), "notes.txt")));
    }

    [Fact]
    public void GivenAShardWithoutVerify_WhenGenerateRuns_ThenOneLineAsksForVerify()
    {
        var run = Generate("no-verify", "--shard", "1/2");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal(["error: --shard splits the RCWA simulations of --verify; add --verify (verify-and-rank on a cluster: 'evaluate --methods proposed+rank --shard I/N')."], run.StderrLines);
        Assert.False(Directory.Exists(_run.Out("no-verify")));
    }
}
