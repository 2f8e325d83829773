using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.ML;
using MlNetInverse.ML;
using MlNetInverse.ML.CodePrior;
using MlNetInverse.ML.Generation;
using MlNetInverse.ML.Mdn;
using MlNetInverse.Models.CodePrior;
using MlNetInverse.Workflows.Generation;
using MlNetInverse.Workflows.Pipelines;

namespace MlNetInverse.Tests.Cli;

/// <summary><c>train prior</c> and the commands that draw from a code prior, on the tiny run of <see cref="TrainPipelineCommandTests"/>.</summary>
public sealed partial class TrainPipelineCommandTests
{
    [Fact]
    public void GivenTheTinyModel_WhenACodePriorIsTrainedOnIt_ThenMorphologyAndEvaluateDrawFromIt_AndTheRowsNameThePrior()
    {
        Assert.True(_run.First.ExitCode == 0, _run.First.Stderr + _run.First.Stdout);
        string model = new TrainingArtifacts(_run.Out).Model, priorFile = _run.Folder.File("tiny.prior");
        string target = _run.MedianLabel.ToString("R", CultureInfo.InvariantCulture);

        var train = CliRun.Of("train", "prior", "--model", model, "--out", priorFile, "--steps", "8", "--batch", "4", "--width", "8", "--heads", "2", "--layers", "1",
            "--threads", "1", "--seed", "3");

        Assert.True(train.ExitCode == 0, train.Stderr + train.Stdout);
        Assert.Contains("held-out code grids", train.Stdout);
        Assert.Contains("step 8/8", train.Stdout);
        var decoder = MicrostructureDecodeTransformer.FindIn(new MLContext().Inverse().LoadModel(model, out _))!;
        using (var prior = MaskedCodePrior.Load(priorFile))
        {
            Assert.Equal(decoder.VqVae.Quantizer.CodebookSize, prior.Options.CodebookSize);
            Assert.Equal(decoder.Architecture.LatentGridSize, prior.Options.GridSize);
            Assert.Equal(8, prior.Options.Width);
        }

        var morphology = CliRun.Of("morphology", "--model", model, "--prior", priorFile, "--prior-rounds", "4", "--targets", target, "--samples", "3", "--seeds", "1", "--seed", "11");
        Assert.True(morphology.ExitCode == 0, morphology.Stderr + morphology.Stdout);
        Assert.Contains("designs drawn from the code prior", morphology.Stdout);
        Assert.Contains("(4 rounds per grid)", morphology.Stdout);
        Assert.Contains("seed 11:", morphology.Stdout);

        string report = _run.Folder.File("prior-evaluation");
        var evaluate = CliRun.Of("evaluate", "--model", model, "--prior", priorFile, "--methods", "code-prior", "--targets", target, "--samples", "2", "--seed", "11",
            "--threads", "2", "--out", report);
        Assert.True(evaluate.ExitCode == 0, evaluate.Stderr + evaluate.Stdout);
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(report, "report.json")))!.ToJsonString();
        Assert.Contains("code-prior", json);
        Assert.Contains("masked code prior", json);

        string generated = _run.Folder.File("prior-generated");
        var generate = CliRun.Of("generate", "--model", model, "--prior", priorFile, "--target", target, "--count", "2", "--seed", "11", "--out", generated, "--verify", "--threads", "2");
        Assert.True(generate.ExitCode == 0, generate.Stderr + generate.Stdout);
        Assert.Contains("with the code prior", generate.Stdout);
        Assert.True(File.Exists(Path.Combine(generated, "designs.csv")));

        // The product form: one model zip whose chain samples with the prior. Its designs are those --prior makes.
        string priorZip = _run.Folder.File("tiny-prior.zip");
        var wrap = CliRun.Of("train", "prior", "--model", model, "--from", priorFile, "--out", priorZip);
        Assert.True(wrap.ExitCode == 0, wrap.Stderr + wrap.Stdout);
        Assert.Contains("with the code prior in place of its MDN", wrap.Stdout);
        Assert.Contains("3 designs per target, screened: best 3 of 6 draws, an equal share from each of 3 volume fraction strata", wrap.Stdout);
        var chain = new MLContext().Model.Load(priorZip, out _);
        // The tiny zip keeps 3 of 6 MDN draws (oversampling 2); the prior's screen keeps as many, from three volume strata.
        Assert.Equal(6, CodePriorTransformer.FindIn(chain)!.SamplesPerTarget);
        Assert.Equal(GenerationModel.CodePriorVolumeFractionStrata, SampleSelectionTransformer.FindIn(chain)!.VolumeFractionStrata);
        string milder = _run.Folder.File("tiny-prior-3.zip");
        var wrap3 = CliRun.Of("train", "prior", "--model", model, "--from", priorFile, "--out", milder, "--oversampling", "3");
        Assert.True(wrap3.ExitCode == 0, wrap3.Stderr + wrap3.Stdout);
        Assert.Equal(9, CodePriorTransformer.FindIn(new MLContext().Model.Load(milder, out _))!.SamplesPerTarget);
        var none = CliRun.Of("train", "prior", "--model", model, "--from", priorFile, "--out", _run.Folder.File("tiny-prior-0.zip"), "--oversampling", "0");
        Assert.NotEqual(0, none.ExitCode);
        Assert.Contains("--oversampling must be at least 1 prior draw per kept design; got 0", none.Stderr + none.Stdout);
        var noStrata = CliRun.Of("train", "prior", "--model", model, "--from", priorFile, "--out", _run.Folder.File("tiny-prior-s0.zip"), "--screen-strata", "0");
        Assert.NotEqual(0, noStrata.ExitCode);
        Assert.Contains("--screen-strata must be at least 1", noStrata.Stderr + noStrata.Stdout);
        Assert.NotNull(CodePriorTransformer.FindIn(chain));
        Assert.Null(MdnTransformer.FindIn(chain));
        string fromZip = _run.Folder.File("zip-generated"), fromFlag = _run.Folder.File("flag-generated");
        var zipRun = CliRun.Of("generate", "--model", priorZip, "--target", target, "--count", "3", "--seed", "11", "--out", fromZip);
        var flagRun = CliRun.Of("generate", "--model", model, "--prior", priorFile, "--target", target, "--count", "3", "--seed", "11", "--out", fromFlag);
        Assert.True(zipRun.ExitCode == 0, zipRun.Stderr + zipRun.Stdout);
        Assert.True(flagRun.ExitCode == 0, flagRun.Stderr + flagRun.Stdout);
        Assert.Contains("its code prior draws", System.Text.RegularExpressions.Regex.Replace(zipRun.Stdout, @"\s+", " "));
        Assert.Equal(File.ReadAllText(Path.Combine(fromFlag, "designs.csv")), File.ReadAllText(Path.Combine(fromZip, "designs.csv")));
        var rank = CliRun.Of("generate", "--model", priorZip, "--target", target, "--count", "1", "--out", _run.Folder.File("prior-ranked"), "--verify-rank",
            "--oversample", "2", "--threads", "2");
        Assert.True(rank.ExitCode == 0, rank.Stderr + rank.Stdout);
        var zipMorphology = CliRun.Of("morphology", "--model", priorZip, "--prior-rounds", "2", "--targets", target, "--samples", "3", "--seeds", "1", "--seed", "11");
        Assert.True(zipMorphology.ExitCode == 0, zipMorphology.Stderr + zipMorphology.Stdout);
        Assert.Contains("designs drawn from the zip's code prior (2 rounds per grid)", zipMorphology.Stdout);
        var paper = CliRun.Of("evaluate", "--model", priorZip, "--out", _run.Folder.File("prior-zip-evaluation"));
        Assert.NotEqual(0, paper.ExitCode);
        Assert.Contains("draws with a code prior", paper.Stderr + paper.Stdout);
        string zipReport = _run.Folder.File("prior-zip-proposed");
        var proposed = CliRun.Of("evaluate", "--model", priorZip, "--methods", "proposed", "--targets", target, "--samples", "2", "--seed", "11", "--threads", "2",
            "--out", zipReport);
        Assert.True(proposed.ExitCode == 0, proposed.Stderr + proposed.Stdout);
        Assert.Contains("Proposed as shipped with a code prior: VQ-VAE + masked code prior (in place of the MDN)", File.ReadAllText(Path.Combine(zipReport, "report.md")));
        var shared = CliRun.Of("train", "prior", "--model", model, "--from", priorFile, "--out", _run.Folder.File("bare.prior"));
        Assert.NotEqual(0, shared.ExitCode);
        Assert.Contains("--from wraps a trained prior into a model zip", shared.Stderr + shared.Stdout);

        var without = CliRun.Of("evaluate", "--model", model, "--methods", "code-prior", "--out", _run.Folder.File("no-prior"));
        Assert.NotEqual(0, without.ExitCode);
        Assert.Contains("--methods code-prior needs --prior FILE", without.Stderr + without.Stdout);
        var notAPrior = CliRun.Of("train", "prior", "--model", model, "--out", _run.Folder.File("prior.txt"));
        Assert.NotEqual(0, notAPrior.ExitCode);
        Assert.Contains("--out must name a model zip (.zip) or a prior file (.prior)", notAPrior.Stderr + notAPrior.Stdout);
        var again = CliRun.Of("train", "prior", "--model", model, "--out", priorFile, "--steps", "1");
        Assert.NotEqual(0, again.ExitCode);
        Assert.Contains("--overwrite", again.Stderr + again.Stdout);
    }

    [Fact]
    public void GivenAFinishedRun_WhenTrainedAgainWithCodePrior_ThenOnlyThePriorTrains_AndTheReportGeneratesFromModelPriorZip()
    {
        Assert.True(_run.First.ExitCode == 0, _run.First.Stderr + _run.First.Stdout);
        string output = _run.Folder.File("artifacts-prior");
        Directory.CreateDirectory(output);
        foreach (var file in Directory.GetFiles(_run.Out)) File.Copy(file, Path.Combine(output, Path.GetFileName(file)));
        Directory.CreateDirectory(Path.Combine(output, "checkpoints"));
        var text = File.ReadAllText(_run.Pipeline).TrimEnd().TrimEnd('}') +
            """, "prior": { "steps": 6, "batch": 4, "width": 8, "heads": 2, "layers": 1, "rounds": 3, "oversampling": 3 } }""";
        string pipeline = _run.Folder.Write("pipelines/tiny-prior.json", text);

        // The section sets the prior up; --code-prior turns the stage on for this run (the main job leaves it off).
        var run = CliRun.Of("train", "--pipeline", pipeline, "--out", output, "--code-prior");

        Assert.True(run.ExitCode == 0, run.Stderr + run.Stdout);
        Assert.DoesNotContain("mdn: done in", run.Stdout);   // stages 1-4 are the first run's
        Assert.Contains("prior: done in", run.Stdout);
        var summary = System.Text.RegularExpressions.Regex.Replace(run.Stdout, @"\s+", " ");
        Assert.Contains("best 3 of 9 code prior draws by the surrogate, an equal share from each of 3 volume fraction strata", summary);
        Assert.Contains("model-prior.zip", summary);
        Assert.Contains("nats per masked cell", summary);
        var artifacts = new TrainingArtifacts(output);
        var chain = new MLContext().Model.Load(artifacts.PriorModel, out _);
        Assert.Equal(3, CodePriorTransformer.FindIn(chain)!.Rounds);
        Assert.Equal(3 * 3, CodePriorTransformer.FindIn(chain)!.SamplesPerTarget);   // 3 designs, each the best of 3 prior draws
        Assert.Contains("screened: best 3 of 9 draws, an equal share from each of 3 volume fraction strata", summary);
        var metrics = JsonNode.Parse(File.ReadAllText(artifacts.Metrics))!;
        Assert.Equal("model-prior.zip", metrics["generation_surrogate_judged"]!["model"]!.GetValue<string>());
        Assert.True(metrics["test_results"]!["prior"]!["cross_entropy"]!.GetValue<double>() > 0);
        Assert.NotNull(metrics["stage_seconds"]!["prior"]);
        var again = CliRun.Of("train", "--pipeline", pipeline, "--out", output, "--code-prior");
        Assert.True(again.ExitCode == 0, again.Stderr + again.Stdout);
        Assert.DoesNotContain("prior: done in", again.Stdout);
    }

    [Fact]
    public void GivenAPriorSectionWithHeadsThatDoNotDivideTheWidth_WhenTrained_ThenTheErrorNamesTheKeys()
    {
        var text = File.ReadAllText(_run.Pipeline).TrimEnd().TrimEnd('}') + """, "prior": { "enabled": true, "width": 10, "heads": 4 } }""";
        string pipeline = _run.Folder.Write("pipelines/bad-prior.json", text);
        var unscreened = File.ReadAllText(_run.Pipeline).TrimEnd().TrimEnd('}') + """, "prior": { "enabled": true, "oversampling": 0 } }""";

        var run = CliRun.Of("train", "--pipeline", pipeline, "--out", _run.Folder.File("bad-prior-out"));
        var zero = CliRun.Of("train", "--pipeline", _run.Folder.Write("pipelines/bad-prior-screen.json", unscreened), "--out", _run.Folder.File("bad-prior-screen-out"));

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("'prior.heads' must divide 'prior.width'", run.Stderr + run.Stdout);
        Assert.NotEqual(0, zero.ExitCode);
        Assert.Contains("'prior.oversampling' must be at least 1; got 0", zero.Stderr + zero.Stdout);
        var noStrata = CliRun.Of("train", "--pipeline", _run.Folder.Write("pipelines/bad-prior-strata.json",
            File.ReadAllText(_run.Pipeline).TrimEnd().TrimEnd('}') + """, "prior": { "enabled": true, "volume_fraction_strata": 0 } }"""), "--out", _run.Folder.File("bad-prior-strata-out"));
        Assert.NotEqual(0, noStrata.ExitCode);
        Assert.Contains("'prior.volume_fraction_strata' must be at least 1; got 0", noStrata.Stderr + noStrata.Stdout);
    }

    [Fact]
    public void GivenAPriorOfAnotherCodebook_WhenMorphologyDrawsFromIt_ThenTheErrorSaysToTrainThePriorOnThisModel()
    {
        Assert.True(_run.First.ExitCode == 0, _run.First.Stderr + _run.First.Stdout);
        string model = new TrainingArtifacts(_run.Out).Model, priorFile = _run.Folder.File("other.prior");
        using (var other = new MaskedCodePrior(new CodePriorOptions { CodebookSize = 3, GridSize = 2, Width = 4, Heads = 1, Layers = 1 }))
            other.Save(priorFile);

        var run = CliRun.Of("morphology", "--model", model, "--prior", priorFile, "--samples", "2", "--seeds", "1");

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("train the prior on this model", run.Stderr + run.Stdout);
    }
}
