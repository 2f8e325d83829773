using MlNetInverse.ML.Onnx;
using MlNetInverse.Tests.Cli;
using MlNetInverse.Tests.ML;
using MlNetInverse.Tests.Models;
using MlNetInverse.Tests.Onnx;

namespace MlNetInverse.Tests.Scoring;

/// <summary>
/// The bad-input matrix of <c>score</c> and <c>export-onnx</c>: each case ends in exit code 1, one "error:" line that
/// names the problem, and nothing written.
/// </summary>
[Collection(TorchDeterminismCollection.Name)]
public sealed class ScoreCommandBadInputTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly string _model;
    private readonly string _targets;

    public ScoreCommandBadInputTests()
    {
        using var generator = TinyGenerator.Create(samples: 2);
        _model = generator.Save(_folder.File("model.zip"));
        _targets = ScoringFiles.WriteTargets(_folder.File("targets.parquet"), [0.4f, 0.5f, 0.6f]);
    }

    public void Dispose() => _folder.Dispose();

    public static TheoryData<string, string> BadTargetFiles => new()
    {
        { "missing", "does not exist" },
        { "empty", "has no rows" },
        { "garbage", "not a Parquet file or is damaged" },
        { "truncated", "not a Parquet file or is damaged" },
        { "strings", "must be float or double" },
        { "no-target-column", "has none of the columns target, absorption" },
        { "nan", "row 1 of column 'target' is NaN" },
        { "negative", "row 2 of column 'target' is -0.5" },
        { "above-one", "row 0 of column 'absorption' is 1.5" },
        { "zero-double", "row 1 of column 'target' is 0;" },
    };

    [Theory]
    [MemberData(nameof(BadTargetFiles))]
    public void GivenABadTargetsFile_WhenScoreRuns_ThenOneLineNamesTheProblemAndNothingIsWritten(string kind, string expected)
    {
        string input = _folder.File($"bad-{kind}.parquet");
        switch (kind)
        {
            case "empty": ScoringFiles.WriteTargets(input, []); break;
            case "garbage": File.WriteAllBytes(input, Enumerable.Range(0, 300).Select(i => (byte)(i * 7)).ToArray()); break;
            case "truncated":
                var bytes = File.ReadAllBytes(ScoringFiles.WriteTargets(input, ScoringFiles.Spread(50)));
                File.WriteAllBytes(input, bytes[..(bytes.Length / 2)]);
                break;
            case "strings": ScoringFiles.WriteStrings(input, ["0.5", "high"]); break;
            case "no-target-column": ScoringFiles.WriteTargets(input, [0.5f], column: "reflectance"); break;
            case "nan": ScoringFiles.WriteTargets(input, [0.5f, float.NaN, 0.6f]); break;
            case "negative": ScoringFiles.WriteTargets(input, [0.5f, 0.6f, -0.5f]); break;
            case "above-one": ScoringFiles.WriteTargets(input, [1.5f], column: "absorption"); break;
            case "zero-double": ScoringFiles.WriteDoubles(input, [0.5, 0.0]); break;
        }
        AssertFailsWithoutWriting(expected, "score", "--model", _model, "--in", input, "--out", _folder.File("out/images.parquet"));
    }

    [Fact]
    public void GivenAMissingColumnNamedWithColumn_WhenScoreRuns_ThenTheErrorListsTheFilesColumns() =>
        AssertFailsWithoutWriting("has no column 'goal'; it has target (float)", "score", "--model", _model, "--in", _targets, "--out", _folder.File("images.parquet"), "--column", "goal");

    [Fact]
    public void GivenATruncatedModelZip_WhenScoreRuns_ThenOneLineSaysItCannotBeLoaded()
    {
        string model = _folder.File("truncated.zip");
        File.Copy(_model, model);
        ModelZipSurgery.Truncate(model, 0.6);
        AssertFailsWithoutWriting("cannot be loaded", "score", "--model", model, "--in", _targets, "--out", _folder.File("images.parquet"));
    }

    [Fact]
    public void GivenAModelZipFromAnotherVersion_WhenScoreRuns_ThenOneLineSaysItCannotBeLoaded()
    {
        string model = _folder.File("future.zip");
        File.Copy(_model, model);
        ModelZipSurgery.SetComponentVersion(model, "MDNSAMPL", 0x00020001, 0x00020001);
        AssertFailsWithoutWriting("cannot be loaded", "score", "--model", model, "--in", _targets, "--out", _folder.File("images.parquet"));
    }

    [Fact]
    public void GivenACodePriorZip_WhenScoreOrExportOnnxRuns_ThenTheErrorPointsToTheMdnZip()
    {
        using var generator = TinyGenerator.Create(samples: 2);
        var o = TinyGenerator.VqVaeOptions;
        using var prior = new MlNetInverse.Models.CodePrior.MaskedCodePrior(new() { CodebookSize = o.CodebookSize, GridSize = o.LatentGridSize, Width = 4, Heads = 1, Layers = 1 });
        var model = MlNetInverse.Workflows.Generation.GenerationModel.Of(generator.MlContext, generator.Model, "tiny").WithCodePrior(prior, rounds: 2);
        string path = generator.Save(model.Model, _folder.File("prior.zip"));

        AssertFailsWithoutWriting("draws its latents with a code prior", "score", "--model", path, "--in", _targets, "--out", _folder.File("images.parquet"));
        AssertFailsWithoutWriting("export the MDN zip it was made from", "export-onnx", "--model", path, "--out", _folder.File("prior-generator.onnx"));
    }

    [Fact]
    public void GivenAModelWithoutAnMdn_WhenScoreRuns_ThenTheErrorSaysItIsNoGenerationModel()
    {
        using var generator = TinyGenerator.Create(samples: 2);
        string model = _folder.File("decoder-only.zip");
        generator.MlContext.Model.Save(generator.Decoder, generator.Decoder.GetOutputSchema(generator.Mdn.GetOutputSchema(generator.Targets(0.5f).Schema)), model);
        AssertFailsWithoutWriting("holds no MDN", "score", "--model", model, "--in", _targets, "--out", _folder.File("images.parquet"));
    }

    [Fact]
    public void GivenAnOutputBelowAFile_WhenScoreRuns_ThenOneLineSaysTheFolderCannotBeCreated() =>
        AssertFailsWithoutWriting("cannot be created", "score", "--model", _model, "--in", _targets, "--out", Path.Combine(_targets, "images.parquet"));

    [Theory]
    [InlineData("torch", "CUDA was requested")]
    [InlineData("onnx", "CUDA was requested for the ONNX engine")]
    public void GivenCudaOnAMachineWithoutIt_WhenScoreRuns_ThenTheErrorSaysSoAndNothingIsWritten(string engine, string expected) =>
        AssertFailsWithoutWriting(expected, "score", "--model", _model, "--in", _targets, "--out", _folder.File("images.parquet"), "--engine", engine, "--device", "cuda");

    [Theory]
    [InlineData("torch")]
    [InlineData("onnx")]
    public void GivenAutoOnAMachineWithoutCuda_WhenScoreRuns_ThenItFallsBackToTheCpuWithANotice(string engine)
    {
        var run = CliRun.Of("score", "--model", _model, "--in", _targets, "--out", _folder.File($"{engine}.parquet"), "--engine", engine, "--device", "auto");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("notice: CUDA is not available", run.Stderr);
        Assert.Equal(3, ScoringFiles.Read(_folder.File($"{engine}.parquet")).Length); // one image per target by default
    }

    [Theory]
    [InlineData("--engine", "tensorflow", "--engine must be torch or onnx")]
    [InlineData("--device", "tpu", "--device must be cpu, cuda or auto")]
    [InlineData("--images", "jpeg", "--images must be packed or float")]
    [InlineData("--batch", "0", "--batch must be at least 1")]
    [InlineData("--shard", "3/2", "shard 3 of 2 does not exist")]
    public void GivenABadOption_WhenScoreRuns_ThenOneLineNamesTheOption(string option, string value, string expected) =>
        AssertFailsWithoutWriting(expected, "score", "--model", _model, "--in", _targets, "--out", _folder.File("images.parquet"), option, value);

    [Fact]
    public void GivenAnExportedGeneratorAndTheTorchEngine_WhenScoreRuns_ThenTheErrorPointsToTheOnnxEngine()
    {
        using var generator = TinyGenerator.Create(samples: 2);
        var files = OnnxGeneratorExport.Export(generator.Model, _folder.File("export/generator.onnx"));
        AssertFailsWithoutWriting("--engine onnx", "score", "--model", files.Decoder, "--in", _targets, "--out", _folder.File("images.parquet"), "--engine", "torch");
    }

    [Theory]
    [InlineData("missing-model", "does not exist")]
    [InlineData("truncated-model", "cannot be loaded")]
    [InlineData("not-onnx", "--out must name an .onnx file")]
    [InlineData("no-folder", "does not exist")]
    public void GivenBadExportInput_WhenExportOnnxRuns_ThenOneLineNamesTheProblemAndNothingIsWritten(string kind, string expected)
    {
        string model = _model, output = _folder.File("generator.onnx");
        switch (kind)
        {
            case "missing-model": model = _folder.File("none.zip"); break;
            case "truncated-model":
                model = _folder.File("truncated.zip");
                File.Copy(_model, model);
                ModelZipSurgery.Truncate(model, 0.5);
                break;
            case "not-onnx": output = _folder.File("generator.bin"); break;
            case "no-folder": output = _folder.File("missing/generator.onnx"); break;
        }
        AssertFailsWithoutWriting(expected, "export-onnx", "--model", model, "--out", output);
    }

    [Fact]
    public void GivenAnotherModelsExportAtOut_WhenExportOnnxRuns_ThenItIsRefusedNamingTheDifferenceUnlessOverwrite()
    {
        using var other = TinyGenerator.Create(samples: 3);
        string otherModel = other.Save(_folder.File("other.zip")), output = _folder.File("gen/generator.onnx");
        Directory.CreateDirectory(_folder.File("gen"));
        Assert.Equal(0, CliRun.Of("export-onnx", "--model", _model, "--out", output).ExitCode);
        Assert.Equal(0, CliRun.Of("export-onnx", "--model", _model, "--out", output).ExitCode);   // the same export again: fine

        AssertFailsWithoutWriting("already exists and holds the export of another model (samples_per_target 2 there, 3 now); replacing it needs --overwrite",
            "export-onnx", "--model", otherModel, "--out", output);

        Assert.Equal(0, CliRun.Of("export-onnx", "--model", otherModel, "--out", output, "--overwrite").ExitCode);
        Assert.Equal(3, OnnxGeneratorManifest.Load(OnnxGeneratorNames.ManifestPath(output)).SamplesPerTarget);
    }

    [Fact]
    public void GivenAFileThatIsNoExportAtOut_WhenExportOnnxRuns_ThenItIsRefusedUnlessOverwrite()
    {
        string output = _folder.File("foreign.onnx");
        File.WriteAllText(output, "somebody else's graph");

        AssertFailsWithoutWriting("already exists and is not part of an ONNX generator export; replacing it needs --overwrite", "export-onnx", "--model", _model, "--out", output);
        Assert.Equal(0, CliRun.Of("export-onnx", "--model", _model, "--out", output, "--overwrite").ExitCode);
    }

    private void AssertFailsWithoutWriting(string expected, params string[] args)
    {
        var before = _folder.Snapshot();
        var run = CliRun.Of(args);
        Assert.Equal(1, run.ExitCode);
        var line = Assert.Single(run.StderrLines);
        Assert.StartsWith("error: ", line);
        Assert.Contains(expected, line);
        Assert.Equal(before, _folder.Snapshot());
        Assert.Empty(Directory.GetDirectories(_folder.Path, "*.parts", SearchOption.AllDirectories));
    }
}
