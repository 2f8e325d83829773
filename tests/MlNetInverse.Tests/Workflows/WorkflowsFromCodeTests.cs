using System.Text.Json.Nodes;
using MlNetInverse.Physics.Datasets;
using MlNetInverse.Physics.Microstructures;
using MlNetInverse.Physics.Rcwa;
using MlNetInverse.Tests.Cli;
using MlNetInverse.Tests.Models;
using MlNetInverse.Workflows.Evaluation;
using MlNetInverse.Workflows.Generation;
using MlNetInverse.Workflows.Pipelines;
using MlNetInverse.Workflows.Verification;
using DatasetFakes = MlNetInverse.Tests.Physics.Datasets.DatasetFakes;

namespace MlNetInverse.Tests.Workflows;

/// <summary>
/// The library's workflows called from code, as a user of the package would, with no CLI: RCWA verification and REP
/// of given designs, a tiny training pipeline built as an object, and the evaluation of the model it made.
/// </summary>
[Collection(TorchDeterminismCollection.Name)]
public sealed class WorkflowsFromCodeTests : IClassFixture<WorkflowsFromCodeTests.TrainedInCode>
{
    private readonly TrainedInCode _trained;

    public WorkflowsFromCodeTests(TrainedInCode trained) => _trained = trained;

    /// <summary>One training run from code, shared by the tests of this class.</summary>
    public sealed class TrainedInCode : IDisposable
    {
        public TrainedInCode()
        {
            var data = TrainingDatasetFile.WriteTo(Folder.File("train.parquet"));
            Labels = MicrostructureDatasetFile.ReadAsync(data).GetAwaiter().GetResult().Records.Select(r => r.Absorption).Order().ToArray();
            Pipeline = new TrainingPipeline
            {
                Name = "from-code", Data = data, Seed = 3, Threads = 1, HeldOut = 0.25,
                Surrogate = new SurrogateSection { Epochs = 2, Batch = 16, BaseChannels = 2, HiddenUnits = 8 },
                Vqvae = new VqVaeSection { Epochs = 1, Batch = 16, LearningRate = 1e-2, CodebookSize = 16, CodeDim = 4, LatentGrid = 8, HiddenChannels = 4 },
                Mdn = new MdnSection { Components = 3, HiddenUnits = 16, Epochs = 2, Batch = 16 },
                Generation = new GenerationSection { Samples = 2, Targets = [Labels[Labels.Length / 2]] },
            };
            Options = new TrainingRunOptions
            {
                OutputFolder = Folder.File("artifacts"),
                Log = new Collect<string>(Log),
                Progress = new Collect<TrainingProgress>(Progress),
            };
            Result = TrainingRun.RunAsync(Pipeline, Options).GetAwaiter().GetResult();
        }

        internal TempFolder Folder { get; } = new();

        public double[] Labels { get; }

        public TrainingPipeline Pipeline { get; }

        public TrainingRunOptions Options { get; }

        public TrainingResult Result { get; }

        public List<string> Log { get; } = [];

        public List<TrainingProgress> Progress { get; } = [];

        public void Dispose() => Folder.Dispose();
    }

    [Fact]
    public void GivenDesignsForATarget_WhenVerifiedFromCode_ThenEachRepIsTheSolversAbsorptionAgainstTheTarget()
    {
        const int size = 16;
        const double target = 0.6;
        var maps = new[] { Stripes(size, 4), Stripes(size, 8), Checker(size) };
        var designs = new GeneratedTarget(target, InTrainingRange: true, maps.Select(m => m.ToArray()).ToArray(), [0.6f, 0.6f, 0.6f], size);

        var verified = RcwaVerification.Run(DatasetFakes.Stack, [designs], threads: 2, progress: null, CancellationToken.None);

        using var solver = new RcwaSolver(DatasetFakes.Stack);
        var expected = maps.Select(m => solver.Simulate(m).Absorption).ToArray();
        var result = Assert.Single(verified);
        Assert.Equal(target, result.Target);
        Assert.Equal(expected, result.Absorption);
        Assert.Equal(expected.Select(a => Math.Abs(target - a) / target * 100), result.Reps);
        Assert.Equal(result.Reps.Average(), result.Statistics.Mean, 12);
        Assert.Equal(result.Reps.Min(), result.Statistics.Min, 12);
    }

    [Fact]
    public void GivenTwoShardsOfAVerification_WhenBothRanFromCode_ThenAThirdRunSimulatesNothingAndReturnsTheOneCallResult()
    {
        const int size = 16;
        var designs = new[]
        {
            new GeneratedTarget(0.5, true, new[] { Stripes(size, 4), Checker(size) }.Select(m => m.ToArray()).ToArray(), [0.5f, 0.5f], size),
            new GeneratedTarget(0.7, true, new[] { Stripes(size, 8) }.Select(m => m.ToArray()).ToArray(), [0.7f], size),
        };
        string folder = _trained.Folder.File("verification");

        var first = VerificationRun.Open(folder, DatasetFakes.Stack, designs, new DatasetShard(1, 2));
        Assert.Null(first.Run(threads: 1));
        var second = VerificationRun.Open(folder, DatasetFakes.Stack, designs, new DatasetShard(2, 2));
        Assert.Equal(first.Length, second.First);
        var fromShards = second.Run(threads: 1);
        var rerun = VerificationRun.Open(folder, DatasetFakes.Stack, designs);

        Assert.Empty(rerun.ToSimulate);
        Assert.Equal(3, rerun.Stored);
        var oneCall = RcwaVerification.Run(DatasetFakes.Stack, designs, threads: 1, progress: null, CancellationToken.None);
        Assert.NotNull(fromShards);
        Assert.Equal(oneCall.Select(v => v.Absorption), fromShards!.Select(v => v.Absorption));
        Assert.Equal(oneCall.Select(v => v.Absorption), rerun.Run(threads: 1)!.Select(v => v.Absorption));
    }

    [Fact]
    public void GivenAPipelineMadeInCode_WhenRun_ThenItTrainsEveryStageReportsThroughTheOptionsAndWritesTheModel()
    {
        var result = _trained.Result;

        Assert.True(File.Exists(result.Artifacts.Model));
        Assert.True(File.Exists(result.Artifacts.Latents));
        var metrics = JsonNode.Parse(File.ReadAllText(result.Artifacts.Metrics))!;
        Assert.Equal("from-code", metrics["pipeline"]!["name"]!.GetValue<string>());
        Assert.Null(metrics["pipeline"]!["file"]);
        Assert.False(File.Exists(result.Artifacts.ReconstructionGrid), "no image writer was given, so no reconstructions image");
        var generated = Assert.Single(result.Generated);
        Assert.Equal(2, generated.Images.Count);
        Assert.All(generated.Images, image => Assert.All(image, p => Assert.True(p is 0f or 1f)));
        foreach (var stage in new[] { "surrogate", "vqvae", "latents", "mdn" })
            Assert.Contains(_trained.Log, line => line.StartsWith(stage + ": done in ", StringComparison.Ordinal));
        Assert.Contains(_trained.Progress, p => p.Task == "surrogate epoch" && p.Value == 2 && p.MaxValue == 2);
        Assert.Contains(_trained.Progress, p => p.Task == "MDN epoch" && p.Description.StartsWith("MDN epoch 2/2: ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task GivenAPipelineMadeInCodeWithZeroEpochs_WhenOpened_ThenItIsRefusedNamingTheKeyBeforeAnythingIsWritten()
    {
        var pipeline = _trained.Pipeline with { Mdn = _trained.Pipeline.Mdn with { Epochs = 0 } };
        string folder = _trained.Folder.File("refused");

        var error = await Assert.ThrowsAsync<FormatException>(() => TrainingRun.OpenAsync(pipeline, new TrainingRunOptions { OutputFolder = folder }));

        Assert.Contains("'mdn.epochs'", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(folder));
    }

    [Fact]
    public async Task GivenAFinishedRun_WhenTheSamePipelineRunsAgain_ThenEveryStageIsReusedAndTheDesignsAreTheSame()
    {
        var log = new List<string>();
        var progress = new List<TrainingProgress>();
        var options = new TrainingRunOptions { OutputFolder = _trained.Options.OutputFolder, Log = new Collect<string>(log), Progress = new Collect<TrainingProgress>(progress) };

        var again = await TrainingRun.RunAsync(_trained.Pipeline, options);

        Assert.DoesNotContain(log, line => line.Contains(": done in ", StringComparison.Ordinal));
        Assert.Contains(progress, p => p.Task == "vqvae (finished earlier, reused)");
        Assert.Equal(_trained.Result.Generated[0].Images, again.Generated[0].Images);
    }

    [Fact]
    public async Task GivenTheModelTrainedInCode_WhenEvaluatedFromCode_ThenEveryCellIsJudgedByRcwaAndTheReportIsWritten()
    {
        var options = new EvaluationOptions
        {
            ModelPath = _trained.Result.Artifacts.Model, OutputFolder = _trained.Folder.File("evaluation"),
            Targets = [_trained.Labels[_trained.Labels.Length / 2]], Methods = [EvaluationMethods.Paper, EvaluationMethods.VfControl],
            Samples = 2, Seeds = [11], Threads = 2,
        };

        var result = await EvaluationRun.RunAsync(options);

        Assert.True(result.IsComplete);
        Assert.Equal(2, result.ComputedCells);
        Assert.Equal([EvaluationMethods.Paper, EvaluationMethods.VfControl], result.Cells.Select(c => c.Method));
        Assert.All(result.Cells, c => Assert.Equal(2, c.Rcwa.Count));
        Assert.True(File.Exists(result.MarkdownReportPath));
        var json = JsonNode.Parse(File.ReadAllText(result.JsonReportPath!))!;
        var paper = json["methods"]![0]!["targets"]![0]!["rcwa"]!;
        Assert.Equal(Math.Round(result.Cells[0].Rcwa.Mean, 4), paper["mean_rep"]!.GetValue<double>());
        Assert.Equal(1.0, result.Cells[1].SkillVsVfControl, 12);
    }

    private static Microstructure Stripes(int size, int period)
    {
        var pixels = new float[size * size];
        for (int x = 0; x < size; x++)
            for (int y = 0; y < size; y++)
                pixels[x * size + y] = (x / (period / 2)) % 2;
        return Microstructure.FromPixels(pixels, size);
    }

    private static Microstructure Checker(int size)
    {
        var pixels = new float[size * size];
        for (int x = 0; x < size; x++)
            for (int y = 0; y < size; y++)
                pixels[x * size + y] = (x / 4 + y / 4) % 2;
        return Microstructure.FromPixels(pixels, size);
    }

    /// <summary>Collects reports on the calling thread, in order.</summary>
    private sealed class Collect<T>(List<T> into) : IProgress<T>
    {
        public void Report(T value)
        {
            lock (into) into.Add(value);
        }
    }
}
