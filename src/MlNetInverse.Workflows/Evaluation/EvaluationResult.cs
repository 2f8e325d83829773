namespace MlNetInverse.Workflows.Evaluation;

/// <summary>
/// What an <see cref="EvaluationRun"/> left: how many cells are stored and, once all are, the Table I numbers (seeds
/// pooled) and the report files.
/// </summary>
public sealed class EvaluationResult
{
    internal EvaluationResult(string outputFolder, int computedCells, int storedCells, int totalCells, EvaluationReport? report)
    {
        OutputFolder = outputFolder;
        ComputedCells = computedCells;
        StoredCells = storedCells;
        TotalCells = totalCells;
        Report = report;
        Cells = report is null ? [] : report.Cells.Select(c => new EvaluationCell(c.Method, c.Target, c.Rcwa, c.Surrogate,
            report.Skill(c, EvaluationMethods.VfControl), c.MethodSimulations)).ToArray();
    }

    /// <summary>The output folder (full path).</summary>
    public string OutputFolder { get; }

    /// <summary>Cells (method, seed, target) this run computed; the rest were reused.</summary>
    public int ComputedCells { get; }

    /// <summary>Cells stored in OutputFolder/cells now.</summary>
    public int StoredCells { get; }

    /// <summary>Cells of the whole evaluation.</summary>
    public int TotalCells { get; }

    /// <summary>True when every cell is stored and report.md and report.json are written; false while shards are missing.</summary>
    public bool IsComplete => Report is not null;

    /// <summary>Table I: one row per (method, target), in report order, seeds pooled; empty while <see cref="IsComplete"/> is false.</summary>
    public IReadOnlyList<EvaluationCell> Cells { get; }

    /// <summary>The REP floor of the judge check (REP points), or null without one.</summary>
    public double? RepFloor => Report?.Floor?.Value;

    /// <summary>report.md, or null while <see cref="IsComplete"/> is false.</summary>
    public string? MarkdownReportPath => IsComplete ? Path.Combine(OutputFolder, "report.md") : null;

    /// <summary>report.json, or null while <see cref="IsComplete"/> is false.</summary>
    public string? JsonReportPath => IsComplete ? Path.Combine(OutputFolder, "report.json") : null;

    internal EvaluationReport? Report { get; }
}
