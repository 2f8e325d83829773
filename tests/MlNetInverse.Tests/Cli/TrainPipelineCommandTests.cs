using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetInverse.Cli.Patterns;
using MlNetInverse.ML;
using MlNetInverse.ML.Mdn;
using MlNetInverse.Physics.Datasets;
using MlNetInverse.Physics.Rcwa;
using MlNetInverse.Tests.Models;
using MlNetInverse.Workflows.Pipelines;
using DatasetFakes = MlNetInverse.Tests.Physics.Datasets.DatasetFakes;

namespace MlNetInverse.Tests.Cli;

/// <summary>
/// The main job end to end on a tiny pipeline: 48 RCWA-labelled maps with a cheap stack, one or two epochs per stage;
/// train -> model.zip -> generate in a fresh context -> --verify on 2 designs with RCWA.
/// </summary>
[Collection(TorchDeterminismCollection.Name)]
public sealed partial class TrainPipelineCommandTests : IClassFixture<TrainPipelineCommandTests.TrainedRun>
{
    private readonly TrainedRun _run;

    public TrainPipelineCommandTests(TrainedRun run) => _run = run;

    /// <summary>One training run shared by the tests of this class.</summary>
    public sealed class TrainedRun : IDisposable
    {
        public TrainedRun()
        {
            Directory.CreateDirectory(Folder.File("data"));
            var data = TrainingDatasetFile.WriteTo(Folder.File("data/train.parquet"));
            Labels = MicrostructureDatasetFile.ReadAsync(data).GetAwaiter().GetResult().Records.Select(r => r.Absorption).Order().ToArray();
            Pipeline = Folder.Write("pipelines/tiny.json", TinyPipeline(Labels[Labels.Length / 2]));
            Out = Folder.File("artifacts");
            First = CliRun.Of("train", "--pipeline", Pipeline, "--out", Out);
        }

        internal TempFolder Folder { get; } = new();

        public double[] Labels { get; }

        public string Pipeline { get; }

        public string Out { get; }

        internal CliRun First { get; }

        public double MedianLabel => Labels[Labels.Length / 2];

        public void Dispose() => Folder.Dispose();
    }

    /// <summary>Tiny settings: one or two epochs, a 16-code VQ-VAE on an 8x8 grid, a 3-component MDN, 3 designs from 6 draws.</summary>
    private static string TinyPipeline(double target) => $$"""
        {
          "name": "tiny", "data": "../data/train.parquet", "seed": 3, "threads": 1, "held_out": 0.25,
          "surrogate": { "epochs": 2, "batch": 16, "base_channels": 2, "hidden_units": 8 },
          "vqvae": { "epochs": 1, "batch": 16, "learning_rate": 1e-2, "codebook_size": 16, "code_dim": 4, "latent_grid": 8, "hidden_channels": 4 },
          "mdn": { "components": 3, "hidden_units": 16, "epochs": 2, "batch": 16 },
          "generation": { "samples": 3, "oversampling": 2, "calibrate": true, "targets": [{{target.ToString("R", CultureInfo.InvariantCulture)}}, 0.99] }
        }
        """;

    [Fact]
    public void GivenATinyPipeline_WhenTrained_ThenEveryArtifactAndTheLabelledMetricsAreWritten()
    {
        var artifacts = new TrainingArtifacts(_run.Out);

        Assert.True(_run.First.ExitCode == 0, _run.First.Stderr + _run.First.Stdout);
        foreach (var file in new[] { artifacts.Model, artifacts.Latents, artifacts.ReconstructionGrid, artifacts.GenerationGrid, artifacts.Metrics, artifacts.Surrogate, artifacts.VqVae })
            Assert.True(File.Exists(file), file);
        Assert.Empty(Directory.GetFiles(artifacts.Checkpoints));
        foreach (var text in new[] { $"artifacts: {_run.Out}", "held-out test results", "(12 images)", "MDN", "generated designs, judged by the surrogate",
                     "best 3 of 6 MDN draws by the surrogate, calibrated MDN" })
            Assert.Contains(text, _run.First.Stdout);
        Assert.Contains("warning: target 0.99 lies outside the MDN's training absorption range", _run.First.Stderr);

        var metrics = JsonNode.Parse(File.ReadAllText(artifacts.Metrics))!;
        Assert.Contains("never trained on", metrics["test_results"]!["note"]!.GetValue<string>());
        Assert.Contains("not test results", metrics["training_metrics"]!["note"]!.GetValue<string>());
        Assert.Equal(12, metrics["test_results"]!["vqvae"]!["images"]!.GetValue<int>());
        Assert.True(double.IsFinite(metrics["test_results"]!["mdn"]!["nll_per_dimension"]!.GetValue<double>()));
        var targets = metrics["generation_surrogate_judged"]!["targets"]!.AsArray();
        Assert.Equal([true, false], targets.Select(t => t!["in_training_range"]!.GetValue<bool>()));
        var latents = new MLContext().Inverse().LoadLatents(artifacts.Latents);
        Assert.Equal(36, latents.GetRowCount());
        Assert.All(latents.GetColumn<float>(TrainingStages.DecodedAbsorption), a => Assert.True(float.IsFinite(a)));
    }

    [Fact]
    public void GivenTheFinishedRun_WhenTheSameCommandRunsAgain_ThenEveryStageIsReusedAndTheModelIsUntouched()
    {
        var model = new TrainingArtifacts(_run.Out).Model;
        var written = File.GetLastWriteTimeUtc(model);
        var state = File.ReadAllText(Path.Combine(_run.Out, PipelineState.FileName));

        var again = CliRun.Of("train", "--pipeline", _run.Pipeline, "--out", _run.Out);

        Assert.True(again.ExitCode == 0, again.Stderr);
        Assert.Equal(written, File.GetLastWriteTimeUtc(model));
        Assert.Equal(state, File.ReadAllText(Path.Combine(_run.Out, PipelineState.FileName)));
        Assert.DoesNotContain("surrogate: done in", again.Stdout);
    }

    [Fact]
    public void GivenTheModel_WhenGenerateVerifiesTwoDesigns_ThenItPrintsRepPerDesignAndTheStatisticsOfTheRcwaAbsorption()
    {
        var folder = _run.Folder.File("generated");
        string target = _run.MedianLabel.ToString("R", CultureInfo.InvariantCulture);

        var run = CliRun.Of("generate", "--model", new TrainingArtifacts(_run.Out).Model, "--target", target, "--count", "2", "--out", folder, "--verify", "--threads", "2");

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Matches(@"target \d\.\d{3} REP % per design: \d+\.\d\d \d+\.\d\d", run.Stdout);
        Assert.Contains("REP % of the generated designs, judged by RCWA", run.Stdout);
        Assert.Contains("RCWA mean", run.Stdout);
        var rows = File.ReadAllLines(Path.Combine(folder, "designs.csv")).Skip(1).Select(l => l.Split(',')).ToArray();
        Assert.Equal(2, rows.Length);
        Assert.True(File.Exists(Path.Combine(folder, "grid.png")));
        using var solver = new RcwaSolver(DatasetFakes.Stack);
        foreach (var row in rows)
        {
            // The verification used the dataset's own stack, stored in the zip: an independent simulation of the PNG agrees.
            double rcwa = double.Parse(row[4], CultureInfo.InvariantCulture);
            double again = solver.Simulate(PatternPng.Load(Path.Combine(folder, row[6]))).Absorption;
            Assert.Equal(again, rcwa, 12);
            Assert.Equal(Math.Abs(_run.MedianLabel - rcwa) / _run.MedianLabel * 100, double.Parse(row[5], CultureInfo.InvariantCulture), 3);
        }
    }

    [Fact]
    public void GivenTheSameSeed_WhenGeneratedTwice_ThenTheDesignsAreIdentical()
    {
        string model = new TrainingArtifacts(_run.Out).Model;
        string Designs(string folder, string seed)
        {
            var run = CliRun.Of("generate", "--model", model, "--targets", "0.4,0.5", "--count", "4", "--seed", seed, "--out", _run.Folder.File(folder));
            Assert.True(run.ExitCode == 0, run.Stderr);
            Assert.Contains($"(seed {seed}", run.Stdout);
            var files = Directory.GetFiles(_run.Folder.File(folder), "*", SearchOption.AllDirectories).Order().ToArray();
            Assert.Equal(2 * 4 + 2, files.Length);
            return string.Join("|", files.Select(f => Convert.ToHexString(File.ReadAllBytes(f))));
        }

        Assert.Equal(Designs("a", "5"), Designs("b", "5"));
    }

    [Fact]
    public void GivenATargetOutsideTheTrainingRange_WhenGenerated_ThenAWarningNamesTheRangeAndTheTableFlagsIt()
    {
        var run = CliRun.Of("generate", "--model", new TrainingArtifacts(_run.Out).Model, "--target", "0.99", "--count", "1", "--out", _run.Folder.File("far"));

        Assert.True(run.ExitCode == 0, run.Stderr);
        var mdn = MdnTransformer.FindIn(new MLContext().Inverse().LoadModel(new TrainingArtifacts(_run.Out).Model, out _))!;
        Assert.Contains(FormattableString.Invariant($"warning: target 0.99 lies outside the MDN's training absorption range [{mdn.TrainingAbsorptionMin:0.####}, {mdn.TrainingAbsorptionMax:0.####}]"), run.Stderr);
        Assert.Contains("NO", run.Stdout);
        // The range is that of the MDN's own training pairs: inside the dataset's labels, beyond the median.
        Assert.InRange(mdn.TrainingAbsorptionMax, _run.MedianLabel, _run.Labels.Max() + 1e-6);
        Assert.InRange(mdn.TrainingAbsorptionMin, _run.Labels.Min() - 1e-6, _run.MedianLabel);
    }

    [Fact]
    public void GivenAPipelineWithAnAbsurdCodebook_WhenTrained_ThenOneLineGivesTheEstimateAndTheAvailableMemoryBeforeAnyStageRuns()
    {
        string pipeline = _run.Folder.Write("pipelines/absurd.json", TinyPipeline(_run.MedianLabel).Replace("\"codebook_size\": 16", "\"codebook_size\": 100000000"));
        string folder = _run.Folder.File("absurd");

        var run = CliRun.Of("train", "--pipeline", pipeline, "--out", folder);

        Assert.Equal(1, run.ExitCode);
        Assert.Matches(@"^error: VQ-VAE training \(codebook_size 100000000, .*\) needs about [0-9.E+]+ GB .*; this machine has [0-9.]+ GB available\.", run.Stderr.Trim());
        Assert.False(File.Exists(new TrainingArtifacts(folder).Surrogate), "the surrogate stage ran before the refusal");
        Assert.False(Directory.Exists(folder), "a refused run left its output folder behind");
    }

    [Fact]
    public void GivenAFinishedRunOfOtherMdnSettings_WhenTrainedAgain_ThenTheModelIsNotReplacedWithoutOverwrite()
    {
        var folder = _run.Folder.CopyOf(_run.Out, "other-mdn");
        string pipeline = _run.Folder.Write("pipelines/other-mdn.json", File.ReadAllText(_run.Pipeline).Replace("\"components\": 3", "\"components\": 4"));
        var model = new TrainingArtifacts(folder).Model;
        var before = File.ReadAllBytes(model);
        var vqVae = File.ReadAllBytes(new TrainingArtifacts(folder).VqVae);

        var refused = CliRun.Of("train", "--pipeline", pipeline, "--out", folder);

        Assert.Equal(1, refused.ExitCode);
        Assert.Matches(@"^error: '.*model\.zip' already exists and was made by stage 'mdn' with other settings .*; replacing it needs --overwrite", refused.Stderr.Trim());
        Assert.Equal(before, File.ReadAllBytes(model));

        var overwritten = CliRun.Of("train", "--pipeline", pipeline, "--out", folder, "--overwrite");

        Assert.True(overwritten.ExitCode == 0, overwritten.Stderr);
        Assert.Equal(vqVae, File.ReadAllBytes(new TrainingArtifacts(folder).VqVae));   // stages of the same settings are reused
        Assert.NotEqual(before, File.ReadAllBytes(model));
    }

    [Fact]
    public void GivenAFolderOfOtherFiles_WhenTrainedInto_ThenItIsRefusedNamingThem()
    {
        var folder = _run.Folder.File("foreign");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "thesis.tex"), "mine");

        var run = CliRun.Of("train", "--pipeline", _run.Pipeline, "--out", folder);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("holds files that are no output of 'train --pipeline' ('thesis.tex')", run.Stderr);
        Assert.Equal(["thesis.tex"], Directory.GetFileSystemEntries(folder).Select(Path.GetFileName));
    }

    [Fact]
    public void GivenACheckpointWrittenWithOtherSettings_WhenTheStageRunsAgain_ThenItStartsOverAndSaysSo()
    {
        var folder = _run.Folder.CopyOf(_run.Out, "stale");
        var artifacts = new TrainingArtifacts(folder);
        File.Delete(artifacts.Model);
        Directory.CreateDirectory(artifacts.Checkpoints);
        File.WriteAllText(artifacts.Checkpoint("mdn"), "a checkpoint of an interrupted run with other MDN settings");
        File.WriteAllText(artifacts.Checkpoint("mdn") + ".fingerprint", "other-settings");

        var refused = CliRun.Of("train", "--pipeline", _run.Pipeline, "--out", folder);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("is the checkpoint of an interrupted run of stage 'mdn' with other settings", refused.Stderr);

        var run = CliRun.Of("train", "--pipeline", _run.Pipeline, "--out", folder, "--overwrite");

        Assert.True(run.ExitCode == 0, run.Stderr + run.Stdout);
        // The console wraps long lines at its width.
        string stdout = string.Join(' ', run.Stdout.Split((char[])['\n', ' '], StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("mdn: the settings changed since its checkpoint was written; the stage starts over", stdout);
        Assert.True(File.Exists(artifacts.Model));
        Assert.False(File.Exists(artifacts.Checkpoint("mdn") + ".fingerprint"));
    }

    [Fact]
    public void GivenACancelledToken_WhenTrainRuns_ThenItStopsWith130AndSaysHowToResume()
    {
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();
        var folder = _run.Folder.File("cancelled");

        var run = CliRun.Of(cancellation.Token, "train", "--pipeline", _run.Pipeline, "--out", folder);

        Assert.Equal(130, run.ExitCode);
        Assert.Contains("rerun the same command to resume", run.Stderr);
        Assert.False(File.Exists(new TrainingArtifacts(folder).Model));
    }
}
