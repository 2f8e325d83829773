using System.ComponentModel;
using System.Globalization;
using MlNetInverse.Cli.Reports;
using MlNetInverse.Physics.Datasets;
using MlNetInverse.Physics.Statistics;
using Spectre.Console;
using Spectre.Console.Cli;

namespace MlNetInverse.Cli.Commands;

/// <summary><c>data describe</c>: what a dataset file holds, how its absorption labels spread, and an optional histogram PNG.</summary>
internal sealed class DataDescribeCommand : AsyncCommand<DataDescribeCommand.Settings>
{
    private readonly CliOutput _output;

    public DataDescribeCommand(CliOutput output) => _output = output;

    /// <summary>Options of <c>data describe</c>.</summary>
    public sealed class Settings : CliSettings
    {
        [CommandArgument(0, "<FILE>")]
        [Description("A dataset .parquet file written by 'data generate'.")]
        public string File { get; set; } = "";

        [CommandOption("--histogram <PNG>")]
        [Description("Also draw the absorption histogram into this PNG.")]
        public string? Histogram { get; set; }

        public override ValidationResult Validate() =>
            System.IO.File.Exists(File) ? ValidationResult.Success() : ValidationResult.Error($"dataset file '{File}' does not exist.");
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        string? recorded;
        await using (var reader = await MicrostructureDatasetFile.OpenAsync(settings.File, cancellationToken)) recorded = reader.RowsChecksum;
        // Reading the whole file checks its rows against the recorded SHA-256; a damaged file fails here, named.
        var dataset = await MicrostructureDatasetFile.ReadAsync(settings.File, cancellationToken);
        var labels = dataset.Records.Select(r => r.Absorption).OrderBy(a => a).ToArray();
        var c = CultureInfo.InvariantCulture;
        string Pct(Func<double, bool> where) => (labels.Count(where) * 100.0 / labels.Length).ToString("F1", c) + " %";
        double Quantile(double q) => labels[(int)Math.Round(q * (labels.Length - 1))];

        var table = new Table().HideHeaders().AddColumns("", "");
        table.AddRow("file", Markup.Escape(settings.File));
        table.AddRow("samples", labels.Length == 0 ? "0 rows" : labels.Length.ToString(c));
        table.AddRow("rows checksum", recorded is null ? "none recorded (written before checksums)" : $"SHA-256 {recorded[..12]}... verified");
        table.AddRow("stack", Markup.Escape($"{dataset.Stack.Name}: {dataset.Stack.Solver.Harmonics} harmonics, {dataset.Stack.Solver.Factorization}, {dataset.Stack.WavelengthsNm.Count} wavelengths"));
        table.AddRow("seed / GRF ranges", Markup.Escape($"{dataset.Generation.Seed} / mean k {dataset.Generation.Ranges.MeanWavenumber}, std k {dataset.Generation.Ranges.StdWavenumber}, vf {dataset.Generation.Ranges.VolumeFraction}"));
        if (labels.Length == 0)
        {
            // An empty shard (more shards than row groups) is a valid file: nothing to summarise, nothing to plot.
            table.AddRow("absorption", "- (0 rows)");
            _output.Console.Write(table);
            if (settings.Histogram is not null) _output.Console.MarkupLine("no histogram written: the file has 0 rows.");
            return CliErrors.Success;
        }
        table.AddRow("absorption min / mean / max", $"{labels[0].ToString("F4", c)} / {labels.Average().ToString("F4", c)} / {labels[^1].ToString("F4", c)}");
        table.AddRow("absorption p5 / p25 / p50 / p75 / p95", string.Join(" / ", new[] { 0.05, 0.25, 0.5, 0.75, 0.95 }.Select(q => Quantile(q).ToString("F4", c))));
        table.AddRow("below 0.55 / 0.55-0.75 / above 0.75", $"{Pct(a => a < 0.55)} / {Pct(a => a >= 0.55 && a <= 0.75)} / {Pct(a => a > 0.75)}");
        AddVarianceRows(table, dataset.Records);
        _output.Console.Write(table);

        if (settings.Histogram is { } png)
        {
            HistogramPng.Write(png, labels, 0.2, 0.9, 70,
                $"{labels.Length} samples, stack '{dataset.Stack.Name}' (dashed: 0.55 and 0.75)", "absorption", new[] { 0.55, 0.75 });
            _output.Console.MarkupLineInterpolated($"histogram written to {png}");
        }
        return CliErrors.Success;
    }

    /// <summary>
    /// The benchmark check: how much of the label volume fraction alone explains (cross-validated), against the three
    /// GRF parameters together, and the label's spread inside narrow VF bins.
    /// </summary>
    private static void AddVarianceRows(Table table, IReadOnlyList<MicrostructureRecord> records)
    {
        var c = CultureInfo.InvariantCulture;
        if (records.Count < 10)
        {
            table.AddRow("label variance explained", "- (fewer than 10 rows)");
            return;
        }
        var d = LabelVarianceDiagnostic.Of(records);
        string Share(CrossValidatedFit fit) => string.Create(c, $"{100 * fit.CrossValidatedR2:F1} % (degree {fit.Degree})");
        table.AddRow("label variance explained by VF alone (5-fold CV)", Share(d.VolumeFraction));
        table.AddRow("... by VF, ring mean and ring width (5-fold CV)", Share(d.GrfParameters));
        var spread = d.Bins.Select(b => b.LabelStd).OrderBy(s => s).ToArray();
        table.AddRow(string.Create(c, $"label std within VF bins of {LabelVarianceDiagnostic.BinWidth} (min / median / max of {spread.Length})"),
            spread.Length == 0 ? "-" : string.Create(c, $"{spread[0]:F4} / {spread[spread.Length / 2]:F4} / {spread[^1]:F4} (label std {d.LabelStd:F4})"));
    }
}
