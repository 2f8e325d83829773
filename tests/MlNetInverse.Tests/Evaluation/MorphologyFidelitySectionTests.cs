using System.Text;
using MlNetInverse.Physics.Datasets;
using MlNetInverse.Physics.Microstructures;
using MlNetInverse.Physics.Morphology;
using MlNetInverse.Tests.Physics.Morphology;
using MlNetInverse.Workflows.Evaluation;
using DatasetFakes = MlNetInverse.Tests.Physics.Datasets.DatasetFakes;

namespace MlNetInverse.Tests.Evaluation;

/// <summary>
/// The report's morphology section on a synthetic evaluation: GRF training maps at 0.60 (and a few far away), fresh
/// GRF designs for one method and seamed designs for another, held-out GRFs as the control.
/// </summary>
public sealed class MorphologyFidelitySectionTests
{
    private readonly EvaluationReport _report;

    public MorphologyFidelitySectionTests()
    {
        var near = MorphologyMaps.Grf(60, 2000);
        var far = MorphologyMaps.Grf(5, 3000, MorphologyMaps.Ring with { MeanWavenumber = 6 });
        var heldOut = MorphologyMaps.Grf(12, 4000);
        var records = near.Select(m => (Map: m, Label: 0.60)).Concat(far.Select(m => (Map: m, Label: 0.70))).Concat(heldOut.Select(m => (Map: m, Label: 0.601)))
            .Select((r, i) => new MicrostructureRecord(i, MorphologyMaps.Ring, i, r.Label, r.Map, [r.Label])).ToArray();
        var split = new EvaluationSplit(Enumerable.Range(0, 65).ToArray(), Enumerable.Range(65, 12).ToArray(), 0, 12.0 / 77, "test", "test");
        var setup = new EvaluationSetup
        {
            ModelPath = "no-model.zip", ModelFingerprint = "0", Model = null!, Stack = DatasetFakes.Stack, DataPath = "data.parquet", DataFingerprint = "0",
            Dataset = new MicrostructureDataset(DatasetFakes.Stack, new DatasetGenerationInfo(0, records.Length, 64, 4, new GrfParameterRanges()), records),
            Split = split, Reference = new TrainingReference(records, split), Targets = [0.60], Methods = [EvaluationMethods.Proposed, "optimization"],
            Samples = 20, Seed = 5, Threads = 1, Baselines = new BaselineSettings(), Ranking = new VerifiedRankingOptions(), Out = "unused",
        };
        CellResult Cell(string method, IReadOnlyList<Microstructure> maps) =>
            new(method, 0.60, maps, maps.Select(_ => 0.6).ToArray(), maps.Select(_ => 0.6).ToArray(), 0, maps.Count, null, 0, 0, null);
        var fresh = MorphologyMaps.Grf(20, 9000);
        _report = new EvaluationReport(setup, [Cell("proposed", fresh), Cell("optimization", fresh.Select(MorphologyMaps.ShiftedHalf).ToArray())], 1, 2);
    }

    [Fact]
    public void GivenFreshAndSeamedDesigns_WhenTheSectionIsWritten_ThenTheFreshMeetTheBarAndTheSeamedMissTheSeam()
    {
        var md = new StringBuilder();
        _report.MorphologyFidelity.AppendMarkdown(md);
        var lines = md.ToString().Split('\n').Select(l => l.TrimEnd('\r')).ToArray();

        Assert.Equal("## Morphology fidelity: designs against the training maps at the same absorption", lines[0]);
        // The last two cells: the verdict, then how often 20 random sets of as many training maps meet the bar.
        var control20 = MorphologyFidelityText.DataControl(_report.MorphologyFidelity.Yardsticks[0.60].DataControl(20));
        var control12 = MorphologyFidelityText.DataControl(_report.MorphologyFidelity.Yardsticks[0.60].DataControl(12));
        Assert.Matches(@"^\d+ of 20 sets of 20", control20);
        Assert.Contains(lines, l => l.StartsWith("| proposed | 0.60 | 20 / 60 |", StringComparison.Ordinal) && l.EndsWith($"| MET | {control20} |", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("| optimization | 0.60 | 20 / 60 |", StringComparison.Ordinal) && l.EndsWith($"| MISSED: seam | {control20} |", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("| held-out data (control) | 0.60 | 12 / 60 |", StringComparison.Ordinal) && l.EndsWith($"| MET | {control12} |", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("| 0.60 | 60 (30 + 30) |", StringComparison.Ordinal));
        int met = _report.MorphologyFidelity.Yardsticks[0.60].DataControl(20)!.Met;
        Assert.Equal(["morphology (proposed): MET at every target", $"morphology (optimization): MISSED at 0.60 (seam; the data's own sets of 20 meet it {met} of 20 times)"],
            _report.MorphologyFidelity.Summary());
    }

    [Fact]
    public void GivenTheSection_WhenWrittenAsJson_ThenEveryCellCarriesItsChecksAndTheDataItsSpread()
    {
        var json = _report.MorphologyFidelity.ToJson();

        var cells = json["cells"]!.AsArray();
        Assert.Equal(["proposed", "optimization"], cells.Select(c => c!["method"]!.GetValue<string>()));
        Assert.Equal([true, false], cells.Select(c => c!["met"]!.GetValue<bool>()));
        Assert.Equal(["periodic_seam"], cells[1]!["missed"]!.AsArray().Select(m => m!.GetValue<string>()));
        Assert.Equal(Enum.GetValues<MorphologyStatistic>().Length, cells[0]!["checks"]!.AsArray().Count);
        Assert.Equal(33, cells[0]!["statistics"]!["s2_by_radius_px"]!.AsArray().Count);
        var data = json["data"]![0]!;
        Assert.Equal(60, data["data_maps"]!.GetValue<int>());
        var expected = MorphologyYardstick.Of(_report.Setup.Reference.TrainingRecords.Take(60).Select(r => r.Map).ToArray());
        Assert.Equal(expected.Spread!.TwoPointCorrelation, data["half_vs_half_spread"]!["two_point_correlation"]!.GetValue<double>(), 5);
        Assert.Equal(12, json["held_out_control"]![0]!["designs"]!.GetValue<int>());
        var control = cells[0]!["data_control"]!;
        Assert.Equal((20, 20), (control["set_size"]!.GetValue<int>(), control["sets"]!.GetValue<int>()));
        Assert.Equal(_report.MorphologyFidelity.Yardsticks[0.60].DataControl(20)!.Met, control["met"]!.GetValue<int>());
    }
}
