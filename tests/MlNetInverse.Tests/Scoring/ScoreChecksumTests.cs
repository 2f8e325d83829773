using MlNetInverse.ML.Scoring;
using MlNetInverse.Tests.Cli;
using MlNetInverse.Tests.Models;
using MlNetInverse.Tests.Onnx;

namespace MlNetInverse.Tests.Scoring;

/// <summary>
/// Score parts, shards and outputs carry the SHA-256 of their values: a part damaged where Parquet decodes it silently
/// is scored again on resume instead of being merged, and a damaged shard is named by the merge.
/// </summary>
[Collection(TorchDeterminismCollection.Name)]
public sealed class ScoreChecksumTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly TinyGenerator _generator = TinyGenerator.Create(samples: 2);
    private readonly string _model;

    public ScoreChecksumTests() => _model = _generator.Save(_folder.File("model.zip"));

    public void Dispose()
    {
        _generator.Dispose();
        _folder.Dispose();
    }

    [Fact]
    public void GivenAFinishedPartDamagedSilently_WhenTheRunResumes_ThenThePartIsScoredAgainAndTheOutputEqualsAnUninterruptedRun()
    {
        var input = ScoringFiles.WriteTargets(_folder.File("targets.parquet"), ScoringFiles.Spread(15));
        var options = new BatchScoringOptions { BatchSize = 5, SamplesPerTarget = 2 };
        var whole = File.ReadAllBytes(BatchScorer.Score(_model, input, _folder.File("whole.parquet"), options).Output);
        string output = _folder.File("resumed.parquet");
        using var cancellation = new CancellationTokenSource();
        var progress = new Callback(p => { if (p.BlocksDone == 2) cancellation.Cancel(); });
        Assert.ThrowsAny<OperationCanceledException>(() => BatchScorer.Score(_model, input, output, options, progress, cancellationToken: cancellation.Token));
        FlipSilently(Path.Combine(output + ".parts", "part-00000.parquet"));

        var summary = BatchScorer.Score(_model, input, output, options);

        Assert.Equal(1, summary.ResumedBlocks); // part 1 only: part 0 was damaged and scored again
        Assert.Equal(whole, File.ReadAllBytes(output));
    }

    [Fact]
    public void GivenAScoreShardDamagedSilently_WhenMerged_ThenTheMergeIsRefusedNamingItAndNothingIsWritten()
    {
        var input = ScoringFiles.WriteTargets(_folder.File("targets.parquet"), ScoringFiles.Spread(12));
        string[] shards = [_folder.File("s.shard-0001-of-0002.parquet"), _folder.File("s.shard-0002-of-0002.parquet")];
        for (int i = 0; i < 2; i++)
            BatchScorer.Score(_model, input, shards[i], new BatchScoringOptions { BatchSize = 3, Shard = new MlNetInverse.Physics.Datasets.DatasetShard(i + 1, 2) });
        FlipSilently(shards[1]);
        string output = _folder.File("merged.parquet");

        var error = Assert.Throws<InvalidDataException>(() => ScoreShardMerger.Merge(shards, output));

        Assert.Contains($"'{shards[1]}' is damaged: its values do not match the SHA-256", error.Message);
        Assert.False(File.Exists(output));
    }

    /// <summary>Flips the first byte whose change Parquet decodes without complaint: only the checksum can tell.</summary>
    private static void FlipSilently(string path)
    {
        var original = File.ReadAllBytes(path);
        long rows = ScoreFile.RowCount(path);
        for (int position = 4; position < original.Length; position++)
        {
            var damaged = original.ToArray();
            damaged[position] ^= 0x01;
            File.WriteAllBytes(path, damaged);
            if (ScoreFile.RowCount(path) == rows && Decodes(path) && ScoreFile.VerifiedRowCount(path) == -1) return;
        }
        Assert.Fail($"no byte of '{path}' flips silently");
    }

    /// <summary>True when every value decodes (the flip is invisible to Parquet).</summary>
    private static bool Decodes(string path)
    {
        try
        {
            ScoringFiles.Read(path);
            return true;
        }
        catch (Exception)
        {
            return false;
        }
    }

    private sealed class Callback(Action<ScoringProgress> report) : IProgress<ScoringProgress>
    {
        public void Report(ScoringProgress value) => report(value);
    }
}
