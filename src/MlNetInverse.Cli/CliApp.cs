using System.Globalization;
using MlNetInverse.Cli.Commands;
using MlNetInverse.Cli.Runtime;
using MlNetInverse.Physics.Runtime;
using Spectre.Console;
using Spectre.Console.Cli;

namespace MlNetInverse.Cli;

/// <summary>The mlnet-inverse application: process set-up in <see cref="RunProcess"/>, the command tree in <see cref="Run"/>.</summary>
internal static class CliApp
{
    /// <summary>The executable's name.</summary>
    public const string Name = "mlnet-inverse";

    /// <summary>This build's version.</summary>
    public static string Version => InfoCommand.VersionOf(typeof(CliApp).Assembly);

    /// <summary>
    /// Process entry: re-executes with tcmalloc when available (see <see cref="FastAllocator"/>), turns the first
    /// Ctrl-C into cancellation (a second one ends the process), then runs the command.
    /// </summary>
    public static int RunProcess(string[] args)
    {
        if (FastAllocator.RunWithFastAllocatorIfAvailable() is { } childExitCode) return childExitCode;

        using var cancellation = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            if (cancellation.IsCancellationRequested) return;
            e.Cancel = true;
            cancellation.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            return Run(args, Console.Out, Console.Error, cancellation.Token);
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    /// <summary>Runs one command line in-process; human output goes to <paramref name="stdout"/>, errors as one line to <paramref name="stderr"/>.</summary>
    /// <returns>0 on success, 1 on bad input or a runtime error, 130 when cancelled.</returns>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default)
    {
        bool verbose = CliErrors.WantsStackTraces(args);
        if (MissingOptionValue.Find(args, MissingOptionValue.SettingsTypesOfThisApp()) is { } option)
        {
            stderr.WriteLine($"error: {option} needs a value.");
            stderr.Flush();
            return CliErrors.Failure;
        }
        // Colours and live progress only on a real terminal; captured or piped output stays plain text.
        bool terminal = ReferenceEquals(stdout, Console.Out) && !Console.IsOutputRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(stdout),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = terminal ? InteractionSupport.Detect : InteractionSupport.No,
        });
        var output = new CliOutput(console, stdout, stderr);

        var app = new CommandApp();
        app.Configure(config =>
        {
            config.SetApplicationName(Name);
            config.SetApplicationVersion(VersionText());
            config.ConfigureConsole(console);
            config.SetApplicationCulture(CultureInfo.InvariantCulture);
            config.CancellationExitCode(CliErrors.Cancelled);
            config.UseStrictParsing();
            config.Settings.Registrar.RegisterInstance(output);
            config.SetExceptionHandler((exception, _) => CliErrors.Report(exception, stderr, verbose, args));

            config.AddCommand<SimulateCommand>("simulate")
                .WithDescription("RCWA reflectance, transmittance and absorption of one pattern.")
                .WithExample("simulate", "--pattern", "pattern.txt", "--json")
                .WithExample("simulate", "--pattern", "pattern.png", "--stack", "pipelines/stacks/default.json", "--harmonics", "169");
            config.AddBranch<CliSettings>("bench", bench =>
            {
                bench.SetDescription("Measure the speed of the physics and the models.");
                bench.AddCommand<BenchRcwaCommand>("rcwa")
                    .WithDescription("Seconds per RCWA wavelength (both polarisations) of a 64x64 GRF pattern: the bare solver next to the 'simulate' path over 9 wavelengths, and their ratio.")
                    .WithExample("bench", "rcwa")
                    .WithExample("bench", "rcwa", "--load", "1")
                    .WithExample("bench", "rcwa", "--harmonics", "169", "--threads", "2");
                bench.AddCommand<BenchTrainCommand>("train")
                    .WithDescription("VQ-VAE train-step and decode speed in TorchSharp, next to the PyTorch peer script when available.")
                    .WithExample("bench", "train", "--codebook-size", "64", "--threads", "1", "--pytorch", "auto");
                bench.AddCommand<BenchScoreCommand>("score")
                    .WithDescription("Batch scoring throughput (TorchSharp vs ONNX Runtime), peak RSS of score runs by target count, optional tensor/RSS soak.")
                    .WithExample("bench", "score", "--model", "artifacts/model.zip", "--sizes", "10000,100000,1000000", "--soak", "1000000");
            });
            config.AddBranch<CliSettings>("data", data =>
            {
                data.SetDescription("Make datasets.");
                data.AddCommand<DataGenerateCommand>("generate")
                    .WithDescription("Generate GRF microstructures labelled by RCWA into a Parquet file (Ctrl-C keeps finished work; rerun to resume).")
                    .WithExample("data", "generate", "--count", "1000", "--out", "data/train.parquet", "--threads", "2")
                    .WithExample("data", "generate", "--pipeline", "pipelines/dataset-default.json")
                    .WithExample("data", "generate", "--count", "100000", "--out", "data/campaign.parquet", "--shard", "3/16");
                data.AddCommand<DataMergeCommand>("merge")
                    .WithDescription("Join the shard files of 'data generate --shard I/N' into the file a single run writes (checks ids and settings first).")
                    .WithExample("data", "merge", "--out", "data/train.parquet", "data/train.shard-0001-of-0002.parquet", "data/train.shard-0002-of-0002.parquet");
                data.AddCommand<DataDescribeCommand>("describe")
                    .WithDescription("Summarise a dataset file: solver configuration, absorption spread, optional histogram PNG.")
                    .WithExample("data", "describe", "data/microstructures.parquet", "--histogram", "data/absorption-histogram.png");
                data.AddCommand<DataConvergenceCommand>("convergence")
                    .WithDescription("Label change with harmonics and Laurent vs Li on dataset-like patterns, to choose a stack's solver settings.")
                    .WithExample("data", "convergence", "--count", "20", "--threads", "2", "--out", "convergence.md");
            });
            config.AddBranch<CliSettings>("train", train =>
            {
                train.SetDescription(
                    "Train the models (held-out metrics reported; Ctrl-C keeps a checkpoint, rerun to resume). Without a subcommand, the main job: every stage of a "
                    + "training pipeline into one folder: train --pipeline FILE.json [[--out artifacts]] [[--device cpu|cuda|auto]] [[--threads T]].");
                train.SetDefaultCommand<TrainPipelineCommand>();
                train.AddExample("train", "--pipeline", "pipelines/quick.json", "--out", "artifacts");
                train.AddExample("train", "--pipeline", "pipelines/paper.json", "--out", "artifacts/paper", "--device", "cuda");
                train.AddCommand<TrainVqVaeCommand>("vqvae")
                    .WithDescription("Train the VQ-VAE (absorption loss through a surrogate) into an ML.NET model zip; held-out pixel accuracy, perplexity, reconstruction grid, optional RCWA check.")
                    .WithExample("train", "vqvae", "--data", "data/microstructures.parquet", "--out", "models/vqvae.zip", "--epochs", "50", "--surrogate", "models/surrogate.zip", "--rcwa-check", "20");
                train.AddCommand<TrainPriorCommand>("prior")
                    .WithDescription("Fit a masked code prior to a model zip's VQ-VAE codes of its training split (held-out loss with and without the label); morphology --prior and evaluate --methods code-prior draw from it.")
                    .WithExample("train", "prior", "--model", "artifacts/model.zip", "--out", "artifacts/code.prior");
                train.AddCommand<TrainSurrogateCommand>("surrogate")
                    .WithDescription("Train the absorption surrogate CNN into an ML.NET model zip; held-out MAE and R^2.")
                    .WithExample("train", "surrogate", "--data", "data/microstructures.parquet", "--out", "models/surrogate.zip", "--epochs", "40");
            });
            config.AddCommand<GenerateCommand>("generate")
                .WithDescription("Generate microstructures for target absorptions with a model zip from 'train --pipeline'; --verify judges them with RCWA.")
                .WithExample("generate", "--model", "artifacts/model.zip", "--target", "0.65", "--count", "30", "--out", "generated", "--verify")
                .WithExample("generate", "--model", "artifacts/model.zip", "--targets", "0.55,0.6,0.65,0.7,0.75", "--out", "generated", "--verify", "--threads", "2");
            config.AddCommand<EvaluateCommand>("evaluate")
                .WithDescription("The paper's Table I judged by RCWA: the model, verify-and-rank and the four baselines (trained on the model's training split), with diversity, novelty and morphology; report.md, report.json, PNGs.")
                .WithExample("evaluate", "--model", "artifacts/model.zip", "--targets", "0.55,0.60,0.65,0.70,0.75", "--samples", "30", "--out", "evaluation", "--baselines", "artifacts/baselines")
                .WithExample("evaluate", "--model", "artifacts/model.zip", "--methods", "proposed,pca-mdn", "--out", "evaluation", "--shard", "2/4");
            config.AddCommand<MorphologyCommand>("morphology")
                .WithDescription("How often the model's designs meet the morphology bar, seed by seed and without RCWA, beside how often sets of the data itself do.")
                .WithExample("morphology", "--model", "artifacts/model.zip", "--seeds", "20", "--samples", "30", "--out", "morphology.json");
            config.AddCommand<ScoreCommand>("score")
                .WithDescription("Batch scoring: a Parquet file of target absorptions -> a Parquet file of generated images and predicted absorption (streaming, resumable, --shard).")
                .WithExample("score", "--model", "artifacts/model.zip", "--in", "targets.parquet", "--out", "images.parquet", "--batch", "4096")
                .WithExample("score", "--model", "generator.onnx", "--engine", "onnx", "--in", "targets.parquet", "--out", "images.parquet", "--shard", "3/16");
            config.AddCommand<ExportOnnxCommand>("export-onnx")
                .WithDescription("Export a model zip's generator to ONNX: decoder graph (latents -> images, absorption), MDN graph (condition -> mixture), manifest.")
                .WithExample("export-onnx", "--model", "artifacts/model.zip", "--out", "generator.onnx");
            config.AddCommand<InfoCommand>("info")
                .WithDescription("Versions, allocator, torch threads and CUDA availability.");
        });

        try
        {
            return app.Run(args, cancellationToken);
        }
        finally
        {
            stdout.Flush();
            stderr.Flush();
        }
    }

    private static string VersionText()
    {
        var allocator = FastAllocator.Describe();
        return allocator.StartsWith("tcmalloc", StringComparison.Ordinal) ? Version : $"{Version} (allocator: {allocator})";
    }
}
