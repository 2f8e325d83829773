using System.Text.Json.Nodes;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetInverse.Cli.Commands;
using MlNetInverse.ML.Mdn;
using MlNetInverse.Workflows.Evaluation;
using MlNetInverse.Workflows.Generation;

namespace MlNetInverse.Tests.Cli;

/// <summary>The paper row, the controls, pooled seeds and the judge check, on the tiny model of <see cref="EvaluateCommandTests"/>.</summary>
public sealed partial class EvaluateCommandTests
{
    [Fact]
    public void GivenAZipWithCalibrationAndScreen_WhenThePaperMethodDraws_ThenItsDesignsArePlainUnscreenedUncalibratedDraws()
    {
        var mlContext = new MLContext(seed: 0);
        var zip = GenerationModel.Load(mlContext, _run.Model);
        Assert.Null(zip.Mdn!.Calibration);
        Assert.Equal(2, zip.Oversampling);
        // The tiny zip screens but is not calibrated: give it a calibration that moves every target in range far away.
        var calibrated = zip.Mdn.WithCalibration(MdnCalibration.FromMeasurements([0.05, 0.95], [0.9, 0.95]));
        var shipped = GenerationModel.Of(mlContext, new TransformerChain<ITransformer>(calibrated, zip.Decoder, zip.Selection!), "calibrated zip");
        double target = _run.Targets[0];

        using var paper = new PaperMethod(shipped);
        var designs = paper.Generate(target, 3, seed: 11, CancellationToken.None);

        var plain = zip.Unscreened(3, 11).Generate([target])[0];
        Assert.Equal(plain.Images.Select(Bits), designs.Maps.Select(m => Bits(m.Pixels.ToArray())));
        Assert.Equal(3, designs.Drawn);
        // The MDN draws themselves: the uncalibrated zip's, not the calibrated one's.
        Assert.Equal(Latents(zip.Unscreened(3, 11), target), Latents(shipped.AsPublished(3, 11), target));
        Assert.NotEqual(Latents(shipped.Unscreened(3, 11), target), Latents(shipped.AsPublished(3, 11), target));
        Assert.Null(shipped.AsPublished(3, 11).Selection);
    }

    [Fact]
    public void GivenThePaperMethod_WhenDrawnTwiceWithOneSeedAndOnceWithAnother_ThenTheSameSeedGivesTheSameDraws()
    {
        var zip = GenerationModel.Load(new MLContext(seed: 0), _run.Model);
        double target = _run.Targets[1];

        var first = Latents(zip.AsPublished(4, 21), target);
        var again = Latents(zip.AsPublished(4, 21), target);
        var other = Latents(zip.AsPublished(4, 22), target);

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
        // More designs only append draws: draw n does not depend on the count.
        Assert.Equal(first[..(first.Length / 2)], Latents(zip.AsPublished(2, 21), target));
    }

    [Fact]
    public void GivenTwoSeedsAndAJudgeCheck_WhenEvaluated_ThenEachSeedIsStoredApartTheTablePoolsThemAndTheFloorIsStated()
    {
        var run = _run.Evaluate("pooled", "--methods", "paper,proposed", "--seeds", "2", "--judge-check", "1");

        Assert.True(run.ExitCode == 0, run.Stderr + run.Stdout);
        var cells = Path.Combine(_run.Out("pooled"), "cells");
        Assert.Equal(8, Directory.GetFiles(cells, "*.json").Length);
        Assert.Equal(4, Directory.GetFiles(cells, "*-seed6.json").Length);
        Assert.Contains("paper @ ", run.Stdout);
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(_run.Out("pooled"), "report.json")))!;
        Assert.Equal([5L, 6], json["seeds"]!["evaluation_seeds"]!.AsArray().Select(s => s!.GetValue<long>()));
        foreach (var cell in json["methods"]!.AsArray().SelectMany(m => m!["targets"]!.AsArray()))
        {
            Assert.Equal(4, cell!["rep_percent"]!.AsArray().Count);
            Assert.Equal([5L, 6], cell["seeds"]!.AsArray().Select(s => s!.GetValue<long>()));
            // One design per seed re-simulated at nG 25 and 49 (the tiny judge has 9) and with Li.
            Assert.Equal(2, cell["judge_check"]!["designs"]!.GetValue<int>());
            Assert.Equal([25, 49, 9], cell["judge_check"]!["settings"]!.AsArray().Select(s => s!["harmonics"]!.GetValue<int>()));
        }
        var report = File.ReadAllText(Path.Combine(_run.Out("pooled"), "report.md"));
        Assert.Contains("**REP floor: ", report);
        Assert.Contains("## The bar for paper", report);
        Assert.Contains("## The bar for proposed", report);

        var again = _run.Evaluate("pooled", "--methods", "paper,proposed", "--seeds", "5,6", "--judge-check", "1");

        Assert.True(again.ExitCode == 0, again.Stderr);
        Assert.DoesNotContain(" @ ", again.Stdout);
        Assert.Equal(Tables(report), Tables(File.ReadAllText(Path.Combine(_run.Out("pooled"), "report.md"))));

        var third = _run.Evaluate("pooled", "--methods", "paper,proposed", "--seeds", "3");

        Assert.True(third.ExitCode == 0, third.Stderr);
        Assert.Contains("seed 7:", third.Stdout);
        Assert.DoesNotContain("seed 5:", third.Stdout);
        Assert.DoesNotContain("judge check", third.Stdout);
        var pooled = File.ReadAllText(Path.Combine(_run.Out("pooled"), "report.md"));
        Assert.Contains("(4 of 12 cells computed now", pooled);
        Assert.Contains("- Judge check: off (`--judge-check 0`)", pooled);
    }

    [Fact]
    public void GivenThePaperRowAndTheControls_WhenEvaluated_ThenTheControlsAreFittedOnTheTrainingSplitSkillIsReportedAndARerunReusesThem()
    {
        var run = _run.Evaluate("controls", "--methods", "paper,proposed,vf-control,vf-control+screen");

        Assert.True(run.ExitCode == 0, run.Stderr + run.Stdout);
        Assert.Matches(@"vf-control: fitted on 36 training rows: degree \d, 5-fold CV R\^2 of label ~ VF -?\d\.\d{4}, training VF", run.Stdout);
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(_run.Out("controls"), "report.json")))!;
        var methods = json["methods"]!.AsArray();
        Assert.Equal(["paper", "proposed", "vf-control", "vf-control+screen"], methods.Select(m => m!["name"]!.GetValue<string>()));
        var control = methods[2]!["targets"]!.AsArray();
        var screened = methods[3]!["targets"]!.AsArray();
        // Every design of a vf-control cell is drawn at the one VF chosen for its target.
        Assert.All(control, c => Assert.Equal(0, c!["beyond_rep"]!["morphology"]!["volume_fraction_std"]!.GetValue<double>()));
        Assert.All(control, c => Assert.Equal(2, c!["drawn"]!.GetValue<int>()));
        // The screen draws as many as the zip's screen: 2 designs x oversampling 2.
        Assert.All(screened, c => Assert.Equal(4, c!["drawn"]!.GetValue<int>()));
        for (int t = 0; t < 2; t++)
        {
            var paper = methods[0]!["targets"]![t]!;
            double expected = control[t]!["rcwa"]!["mean_rep"]!.GetValue<double>() / paper["rcwa"]!["mean_rep"]!.GetValue<double>();
            Assert.Equal(expected, paper["skill_vs_vf_control"]!.GetValue<double>(), 3);
            Assert.Null(paper["skill_vs_vf_control_screen"]);
            Assert.NotNull(methods[1]!["targets"]![t]!["skill_vs_vf_control_screen"]);
        }
        var report = File.ReadAllText(Path.Combine(_run.Out("controls"), "report.md"));
        Assert.Contains("| vf-control | label ~ polynomial of VF (degree <= 8, chosen by 5-fold CV, seed 0) on the training split;", report);
        Assert.Contains("; 4 draws per target, the 2 whose surrogate (the model zip's) absorption is closest to the target kept", report);
        Assert.DoesNotContain("skill not judged", report);

        var again = _run.Evaluate("controls", "--methods", "paper,proposed,vf-control,vf-control+screen");

        Assert.True(again.ExitCode == 0, again.Stderr);
        Assert.DoesNotContain(" @ ", again.Stdout);
        Assert.DoesNotContain("fitted on", again.Stdout);
        Assert.Equal(Tables(report), Tables(File.ReadAllText(Path.Combine(_run.Out("controls"), "report.md"))));
    }

    private static string Bits(float[] pixels) => string.Concat(pixels.Select(p => p > 0.5f ? '1' : '0'));

    private static float[] Latents(GenerationModel model, double target) =>
        model.Model.Transform(model.Targets([target])).GetColumn<float[]>(model.Sampler.OutputColumnName).Single();
}
