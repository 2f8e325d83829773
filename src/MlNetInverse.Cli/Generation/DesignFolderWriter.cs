using System.Text;
using MlNetInverse.Cli.Commands;
using MlNetInverse.Cli.Patterns;
using MlNetInverse.Cli.Reports;
using MlNetInverse.Physics.Microstructures;
using MlNetInverse.Physics.Storage;
using MlNetInverse.Workflows.Generation;
using MlNetInverse.Workflows.Verification;
using static MlNetInverse.Physics.Formatting.InvariantText;

namespace MlNetInverse.Cli.Generation;

/// <summary>
/// Writes a <c>generate</c> folder as the designs are made: each design's PNG and its designs.csv row (flushed at once),
/// so memory does not grow with the number of designs and an interrupted run leaves a csv that lists exactly the PNGs
/// written so far. <see cref="Complete"/> writes grid.png (the first <see cref="GridDesignsPerTarget"/> designs per
/// target) and removes design PNGs of an earlier run that this run did not write.
/// </summary>
internal sealed class DesignFolderWriter : IDisposable
{
    /// <summary>Designs per target shown in grid.png (the first ones; every design still gets its own PNG).</summary>
    public const int GridDesignsPerTarget = 32;

    private const string Header = "target,design,in_training_range,surrogate_absorption,rcwa_absorption,rep_percent,file";

    private const string CsvName = "designs.csv";
    private const string GridName = "grid.png";
    private const string TargetPrefix = "target-";

    private readonly string _folder;
    private readonly StreamWriter _csv;
    private readonly HashSet<string> _written = new(StringComparer.Ordinal);
    private readonly List<IReadOnlyList<float[]>> _gridRows = [];
    private int _imageSize;
    private TargetRun? _current;

    /// <summary>Whether an entry of an output folder is one a generate run writes: its designs, or --verify's stored RCWA results.</summary>
    public static bool IsOutputEntry(string name) =>
        name is CsvName or GridName or VerificationStore.FolderName || name.StartsWith(TargetPrefix, StringComparison.Ordinal);

    /// <summary>Starts a run in <paramref name="folder"/>: an earlier run's designs.csv and grid.png are removed first, so they never describe the new PNGs.</summary>
    public DesignFolderWriter(string folder)
    {
        _folder = folder;
        Directory.CreateDirectory(folder);
        File.Delete(Path.Combine(folder, GridName));
        _csv = new StreamWriter(new FileStream(Path.Combine(folder, CsvName), FileMode.Create, FileAccess.Write, FileShare.Read), new UTF8Encoding(false)) { NewLine = "\n" };
        _csv.WriteLine(Header);
        _csv.Flush();
    }

    /// <summary>Writes every design of <paramref name="generated"/> (with its RCWA judgement when given) and keeps only the grid's first designs.</summary>
    public void Add(GeneratedTarget generated, RcwaVerification? verified)
    {
        BeginTarget(generated.Target, generated.InTrainingRange, generated.ImageSize);
        var reps = verified?.Reps;
        for (int d = 0; d < generated.Images.Count; d++)
            AddDesign(generated.Images[d], generated.PredictedAbsorption[d], verified?.Absorption[d], reps?[d]);
        EndTarget();
    }

    /// <summary>Starts a target whose designs come one by one (<see cref="AddDesign"/>, then <see cref="EndTarget"/>).</summary>
    public void BeginTarget(double target, bool inTrainingRange, int imageSize)
    {
        if (_current is not null) throw new InvalidOperationException($"Target {_current.Target} is not ended yet.");
        string sub = TargetPrefix + GenerateSettings.TargetName(target);
        Directory.CreateDirectory(Path.Combine(_folder, sub));
        _current = new TargetRun(target, inTrainingRange, imageSize, sub);
        _imageSize = imageSize;
    }

    /// <summary>The current target's next design: its PNG and csv row (flushed), its map kept only while the grid needs it.</summary>
    public void AddDesign(ReadOnlySpan<float> image, float predicted, double? rcwaAbsorption = null, double? rep = null)
    {
        var run = _current ?? throw new InvalidOperationException("No target begun: call BeginTarget first.");
        int d = run.Designs++;
        string file = Path.Combine(run.Folder, Text($"design-{d:00}.png"));
        PatternPng.Save(Microstructure.FromPixels(image, run.ImageSize), Path.Combine(_folder, file));
        _written.Add(Path.GetFullPath(Path.Combine(_folder, file)));
        string rcwa = rcwaAbsorption is { } a ? Text($"{a:R}") : "";
        string repText = rep is { } r ? Text($"{r:F4}") : "";
        _csv.WriteLine(Text($"{run.Target:R},{d},{(run.InTrainingRange ? "true" : "false")},{predicted:R},{rcwa},{repText},{file}"));
        _csv.Flush();
        if (run.Grid.Count < GridDesignsPerTarget) run.Grid.Add(image.ToArray());
    }

    /// <summary>Ends the current target: its first designs become its grid row.</summary>
    public void EndTarget()
    {
        var run = _current ?? throw new InvalidOperationException("No target begun: call BeginTarget first.");
        _gridRows.Add(run.Grid);
        _current = null;
    }

    private sealed class TargetRun(double target, bool inTrainingRange, int imageSize, string folder)
    {
        public double Target => target;
        public bool InTrainingRange => inTrainingRange;
        public int ImageSize => imageSize;
        public string Folder => folder;
        public int Designs { get; set; }
        public List<float[]> Grid { get; } = [];
    }

    /// <summary>Closes designs.csv, writes grid.png and removes design PNGs of an earlier run that this run did not write.</summary>
    public void Complete()
    {
        _csv.Dispose();
        // The grid shows the first designs of each target: a row of every design grows with --count until the PNG
        // cannot be encoded (about 7,800 designs), and a reader sees no more than a few dozen anyway.
        if (_gridRows.Count > 0) GenerationGridPng.Write(Path.Combine(_folder, GridName), _gridRows, _imageSize);
        foreach (var sub in Directory.EnumerateDirectories(_folder, TargetPrefix + "*"))
        {
            foreach (var png in Directory.EnumerateFiles(sub, "design-*.png"))
                if (!_written.Contains(Path.GetFullPath(png))) File.Delete(png);
            if (!Directory.EnumerateFileSystemEntries(sub).Any()) Directory.Delete(sub);
        }
    }

    public void Dispose() => _csv.Dispose();
}
