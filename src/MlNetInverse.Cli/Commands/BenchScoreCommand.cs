using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using MlNetInverse.ML.Scoring;
using Spectre.Console;
using Spectre.Console.Cli;
using static MlNetInverse.Physics.Formatting.InvariantText;

namespace MlNetInverse.Cli.Commands;

/// <summary>
/// <c>bench score</c>: (1) per-stage throughput of batch scoring (MDN, sampling, decode, surrogate) on TorchSharp and
/// ONNX Runtime side by side; (2) peak RSS (VmHWM, reset before each run) of full 'score' runs over target files of
/// growing size, showing memory stays flat with the row count; (3) optionally a soak: N images on the torch engine with
/// live TorchSharp tensors and RSS sampled along the way.
/// </summary>
internal sealed class BenchScoreCommand : Command<BenchScoreCommand.Settings>
{
    private readonly CliOutput _output;

    public BenchScoreCommand(CliOutput output) => _output = output;

    /// <summary>Options of <c>bench score</c>.</summary>
    public sealed class Settings : CliSettings
    {
        [CommandOption("--model <FILE>")]
        [Description("Required. A generation model zip (artifacts/model.zip).")]
        public string? Model { get; set; }

        [CommandOption("--prior <FILE>")]
        [Description("Also time a code prior (from 'train prior --model' on this zip): --batch grids sampled in 16 rounds, then decoded, with GFLOP/s against the peak.")]
        public string? Prior { get; set; }

        [CommandOption("--engines <LIST>")]
        [Description("Engines to time: torch, onnx or torch,onnx.")]
        [DefaultValue("torch,onnx")]
        public string Engines { get; set; } = "torch,onnx";

        [CommandOption("--batch <N>")]
        [Description("Targets per block (one image each).")]
        [DefaultValue(4096)]
        public int Batch { get; set; } = 4096;

        [CommandOption("--blocks <N>")]
        [Description("Timed blocks per engine after one warm-up block.")]
        [DefaultValue(2)]
        public int Blocks { get; set; } = 2;

        [CommandOption("--threads <N>")]
        [Description("Intra-op threads of the engines.")]
        [DefaultValue(1)]
        public int Threads { get; set; } = 1;

        [CommandOption("--sizes <LIST>")]
        [Description("Target counts of the memory runs (full 'score' runs, packed images, surrogate on), e.g. 10000,100000,1000000; 0 skips them.")]
        [DefaultValue("10000,100000,1000000")]
        public string Sizes { get; set; } = "10000,100000,1000000";

        [CommandOption("--memory-engine <ENGINE>")]
        [Description("Engine of the memory runs: torch or onnx.")]
        [DefaultValue("onnx")]
        public string MemoryEngine { get; set; } = "onnx";

        [CommandOption("--soak <IMAGES>")]
        [Description("Also generate this many images on the torch engine (e.g. 1000000), printing RSS, live tensors and DisposeScope statistics ten times along the way and RSS at start and end; 0 skips it.")]
        [DefaultValue(0L)]
        public long Soak { get; set; }

        [CommandOption("--work <DIR>")]
        [Description("Folder for the memory runs' temporary files (deleted afterwards). Default: a new folder under the system temp folder.")]
        public string? Work { get; set; }

        public IReadOnlyList<ScoringEngine> EngineList => Engines.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(Parse).ToArray();

        public IReadOnlyList<int> SizeList => Sizes.Trim() == "0" ? [] : Sizes.Split(',', StringSplitOptions.TrimEntries).Select(s =>
            int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v > 0 ? v : throw new FormatException($"--sizes: '{s}' is not a whole number >= 1.")).ToArray();

        public override ValidationResult Validate()
        {
            try
            {
                if (string.IsNullOrWhiteSpace(Model)) throw new FormatException("--model FILE.zip is required.");
                if (!File.Exists(Model)) throw new FormatException($"--model: file '{Model}' does not exist.");
                OptionValues.AtLeastOne("--batch", Batch);
                OptionValues.AtLeastOne("--blocks", Blocks);
                OptionValues.AtLeastOne("--threads", Threads);
                if (EngineList.Count == 0) throw new FormatException("--engines needs at least one of torch, onnx.");
                _ = SizeList;
                _ = Parse(MemoryEngine);
                if (Prior is not null && !File.Exists(Prior)) throw new FormatException($"--prior: file '{Prior}' does not exist.");
                if (Soak < 0) throw new FormatException($"--soak must be 0 (off) or a number of images; got {Soak}.");
            }
            catch (FormatException e)
            {
                return ValidationResult.Error(e.Message);
            }
            return ValidationResult.Success();
        }

        private static ScoringEngine Parse(string text) => text.ToLowerInvariant() switch
        {
            "torch" => ScoringEngine.Torch,
            "onnx" => ScoringEngine.Onnx,
            _ => throw new FormatException($"engine must be torch or onnx; got '{text}'."),
        };
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var console = _output.Console;
        string model = settings.Model!;
        console.MarkupLineInterpolated($"bench score: '{model}', batch {settings.Batch}, {settings.Threads} thread(s), {Environment.ProcessorCount} cores, one image per target");

        var table = new Table().Title("Throughput: MDN sample + decode (64x64), seconds per stage")
            .AddColumns("engine", "images", "MDN s", "sampling s", "decode s", "decode+surrogate s", "images/s", "images/s with surrogate");
        var throughputs = new List<ScoringStageTimes>();
        foreach (var engine in settings.EngineList)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var t = ScoringBenchmark.Throughput(model, engine, settings.Batch, settings.Blocks, settings.Threads);
            throughputs.Add(t);
            table.AddRow(t.Engine, Text($"{t.Images}"), Text($"{t.MixtureSeconds:F2}"), Text($"{t.SamplingSeconds:F2}"), Text($"{t.DecodeSeconds:F2}"),
                Text($"{t.DecodeWithAbsorptionSeconds:F2}"), Text($"{t.ImagesPerSecond:F0}"), Text($"{t.ImagesPerSecondWithAbsorption:F0}"));
            _output.Out.WriteLine(Text($"throughput {t.Engine}: {t.ImagesPerSecond:F0} images/s (MDN {t.MixtureSeconds:F2} s, sampling {t.SamplingSeconds:F2} s, decode {t.DecodeSeconds:F2} s for {t.Images} images); with surrogate {t.ImagesPerSecondWithAbsorption:F0} images/s"));
        }
        console.Write(table);
        Work(throughputs, settings);
        if (settings.Prior is not null) PriorThroughput(settings);

        if (settings.SizeList.Count > 0) Memory(settings, cancellationToken);
        if (settings.Soak > 0) Soak(settings, cancellationToken);
        return CliErrors.Success;
    }

    // Seconds become GFLOP/s through the multiply-adds counted on the model's layers; the peak is the yardstick.
    private void Work(IReadOnlyList<ScoringStageTimes> throughputs, Settings settings)
    {
        if (throughputs.FirstOrDefault(t => t.Work is not null)?.Work is not { } work) return;
        var machine = Models.Benchmarks.CpuPeak.Current();
        var peak = machine with { Cores = Math.Min(settings.Threads, machine.Cores) }; // the cores the engines' threads can use
        // ONNX Runtime picks its kernels itself (AVX-512 where the CPU has it); oneDNN's cap binds libtorch only.
        var uncapped = Models.Benchmarks.CpuPeak.Current(kernelCap: false) with { Cores = peak.Cores };
        _output.Out.WriteLine(Text($"work per image: MDN {work.Mixture / 1e6:F2} M multiply-adds, code snapping {work.Snap / 1e6:F2} M, decoder {work.Decoder / 1e6:F2} M (ONNX Runtime, every layer convolved: {work.DecoderLayers / 1e6:F2} M), surrogate {work.Surrogate / 1e6:F2} M"));
        _output.Out.WriteLine(uncapped.Lanes == peak.Lanes ? Text($"peak: {peak}")
            : Text($"peak: torch (oneDNN capped at {peak.InstructionSet}) {peak}; ONNX Runtime (its own kernels) {uncapped}"));
        foreach (var t in throughputs)
        {
            var yardstick = t.Engine.StartsWith("onnx", StringComparison.Ordinal) ? uncapped : peak;
            string Share(double gflops) => yardstick.GigaFlops > 0 ? Text($" ({100 * gflops / yardstick.GigaFlops:F0} % of peak)") : "";
            // The surrogate's share is the difference of two timed runs; within noise it can vanish.
            _output.Out.WriteLine(Text($"gflops {t.Engine}: MDN {t.MixtureGigaFlops:F1}{Share(t.MixtureGigaFlops)}, decode {t.DecodeGigaFlops:F1}{Share(t.DecodeGigaFlops)}, surrogate {t.SurrogateGigaFlops:F1}{Share(t.SurrogateGigaFlops)} GFLOP/s"));
        }
    }

    // The prior replaces only the MDN's draws; the decode after it is the zip's, timed on the prior's own codes.
    private void PriorThroughput(Settings settings)
    {
        var model = Workflows.Generation.GenerationModel.Load(new Microsoft.ML.MLContext(seed: 0), settings.Model!);
        using var prior = Models.CodePrior.MaskedCodePrior.Load(settings.Prior!, model.Decoder.Device);
        var times = Workflows.Generation.CodePriorDesigns.Time(model, prior, settings.Batch, settings.Threads);
        var peak = Models.Benchmarks.CpuPeak.Current() with { Cores = Math.Min(settings.Threads, Environment.ProcessorCount) };
        double gflops = 2.0 * prior.MultiplyAddsPerGrid(times.Rounds) * times.Grids / times.SamplingSeconds / 1e9;
        _output.Out.WriteLine(Text(
            $"code prior: {times.Grids} grids in {times.Rounds} rounds, sampling {times.SamplingSeconds:F2} s ({times.Grids / times.SamplingSeconds:F0} grids/s, {prior.MultiplyAddsPerGrid(times.Rounds) / 1e6:F0} M multiply-adds each, {gflops:F1} GFLOP/s, {(peak.GigaFlops > 0 ? 100 * gflops / peak.GigaFlops : double.NaN):F0} % of peak), decode {times.DecodeSeconds:F2} s; {times.Grids / (times.SamplingSeconds + times.DecodeSeconds):F0} images/s in all"));
    }

    private void Memory(Settings settings, CancellationToken cancellationToken)
    {
        string work = settings.Work ?? Path.Combine(Path.GetTempPath(), $"mlnet-inverse-bench-score-{Guid.NewGuid():N}");
        Directory.CreateDirectory(work);
        var engine = settings.MemoryEngine.Equals("torch", StringComparison.OrdinalIgnoreCase) ? ScoringEngine.Torch : ScoringEngine.Onnx;
        var table = new Table().Title($"Memory of full score runs ({engine.ToString().ToLowerInvariant()}, packed images, surrogate on): peak RSS = VmHWM, reset before each run")
            .AddColumns("targets", "seconds", "images/s", "peak RSS MB", "RSS after MB", "output MB");
        try
        {
            foreach (int size in settings.SizeList)
            {
                cancellationToken.ThrowIfCancellationRequested();
                string input = Path.Combine(work, Text($"targets-{size}.parquet")), output = Path.Combine(work, Text($"images-{size}.parquet"));
                ScoringBenchmark.WriteTargets(settings.Model!, input, size, seed: size);
                GC.Collect();
                GC.WaitForPendingFinalizers();
                bool reset = ProcessMemory.ResetPeak();
                var wall = Stopwatch.StartNew();
                var summary = BatchScorer.Score(settings.Model!, input, output,
                    new BatchScoringOptions { BatchSize = settings.Batch, Threads = settings.Threads, Engine = engine }, cancellationToken: cancellationToken);
                wall.Stop();
                double peak = ProcessMemory.PeakResidentBytes / 1e6, after = ProcessMemory.ResidentBytes / 1e6, size_mb = new FileInfo(output).Length / 1e6;
                table.AddRow(Text($"{size}"), Text($"{wall.Elapsed.TotalSeconds:F1}"), Text($"{summary.Images / wall.Elapsed.TotalSeconds:F0}"),
                    Text($"{peak:F0}{(reset ? "" : " (not reset)")}"), Text($"{after:F0}"), Text($"{size_mb:F1}"));
                _output.Out.WriteLine(Text($"memory {size} targets: {wall.Elapsed.TotalSeconds:F1} s, {summary.Images / wall.Elapsed.TotalSeconds:F0} images/s, peak RSS {peak:F0} MB, RSS after {after:F0} MB, output {size_mb:F1} MB"));
                File.Delete(input);
                File.Delete(output);
            }
        }
        finally
        {
            if (settings.Work is null) Directory.Delete(work, recursive: true);
        }
        _output.Console.Write(table);
    }

    private void Soak(Settings settings, CancellationToken cancellationToken)
    {
        long every = Math.Max(settings.Batch, settings.Soak / 10);
        var samples = ScoringBenchmark.Soak(settings.Model!, settings.Soak, settings.Batch, settings.Threads, every,
            s => _output.Out.WriteLine(Text(
                $"soak {s.Images} images: RSS {s.ResidentBytes / 1e6:F0} MB, live tensors {s.LiveTensors}, DisposeScope created {s.ScopeCreatedTensors} disposed {s.ScopeDisposedTensors} live {s.ScopeLiveTensors}, managed heap {s.ManagedBytes / 1e6:F1} MB")),
            cancellationToken);
        var first = samples[0];
        var last = samples[^1];
        _output.Out.WriteLine(Text(
            $"soak: {last.Images} images; RSS start {first.ResidentBytes / 1e6:F0} MB, end {last.ResidentBytes / 1e6:F0} MB, max {samples.Max(s => s.ResidentBytes) / 1e6:F0} MB; live tensors start {first.LiveTensors}, end {last.LiveTensors}, max {samples.Max(s => s.LiveTensors)}; DisposeScope live start {first.ScopeLiveTensors}, end {last.ScopeLiveTensors}, max {samples.Max(s => s.ScopeLiveTensors)} ({last.ScopeCreatedTensors} tensors created and {last.ScopeDisposedTensors} disposed)"));
    }
}
