using MlNetInverse.Physics.Morphology;
using MlNetInverse.Workflows.Evaluation;
using Spectre.Console;
using static MlNetInverse.Physics.Formatting.InvariantText;

namespace MlNetInverse.Cli.Reports;

/// <summary>The console table of <c>train --pipeline</c>'s designs against the data (the numbers of its metrics.json morphology section).</summary>
internal static class GeneratedMorphologyTable
{
    /// <summary>The summary table: one column per target, one row per statistic (narrow enough for an 80-column console).</summary>
    public static Table Of(IReadOnlyList<(double Target, MorphologyComparison Comparison)> morphology)
    {
        var table = new Table().Title(Markup.Escape("morphology of the generated designs against the training maps labelled within +-" +
            Text($"{MorphologyFidelitySection.Options.Window}") + " of each target"))
            .Caption(Markup.Escape("distances as multiples of the data's spread; bar: " + MorphologyFidelityText.Bar(MorphologyBar.Default) + "; missed checks end in '!'"));
        table.AddColumns(["", .. morphology.Select(m => ReportNumbers.Target(m.Target))]);
        var cells = morphology.Select(m => MorphologyFidelityText.Cells(m.Comparison, s => s + " !", compact: true)).ToArray();
        for (int row = 0; row < MorphologyFidelityText.Columns.Length; row++)
            table.AddRow([Markup.Escape(MorphologyFidelityText.Columns[row]), .. cells.Select(c => Markup.Escape(c[row]))]);
        return table;
    }
}
