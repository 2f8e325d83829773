using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.ML;
using MlNetInverse.ML;
using MlNetInverse.ML.VqVae;
using MlNetInverse.Models.Devices;
using MlNetInverse.Models.Training;
using MlNetInverse.Models.VqVae;
using MlNetInverse.Tests.Cli;
using MlNetInverse.Tests.Models;

namespace MlNetInverse.Tests.Reliability;

/// <summary>
/// The real <c>mlnet-inverse</c> executable, killed with SIGKILL at a seeded-random moment of training and started
/// again with the same command line, ends with the same model as a run that was never interrupted.
/// </summary>
[Collection(TorchDeterminismCollection.Name)]
public sealed class TrainingKillResumeTests : IDisposable
{
    private const int Epochs = 300;
    private const int KillSeed = 20261128;
    private readonly TempFolder _folder = new();
    private readonly string _data;

    public TrainingKillResumeTests() => _data = TrainingDatasetFile.WriteTo(_folder.File("train.parquet"));

    public void Dispose() => _folder.Dispose();

    private string[] Args(string output) =>
    [
        "train", "vqvae", "--data", _data, "--out", output, "--epochs", Epochs.ToString(), "--codebook-size", "16", "--code-dim", "4",
        "--latent-grid", "16", "--hidden-channels", "4", "--batch", "16", "--lr", "0.01", "--threads", "1", "--held-out", "0.25",
        "--beta", "0", "--rcwa-check", "0", "--seed", "3",
    ];

    [Fact]
    public void GivenTrainingInAChildProcess_WhenKilledAtARandomMomentAndRerun_ThenItResumesFromTheLastCheckpointAndEndsWithTheUninterruptedModel()
    {
        string referencePath = _folder.File("reference/vqvae.zip");
        var reference = Watch(Args(referencePath), referencePath + ".checkpoint", killAtEpochs: null);
        Assert.True(reference.Run.ExitCode == 0, reference.Run.Stderr + reference.Run.Stdout);
        Assert.Contains($"{Epochs} (0 resumed)", reference.Run.Stdout);

        // A seeded-random epoch in the first three quarters of the run: the kill lands in whatever step runs when the
        // checkpoint shows it. Counted in epochs, not milliseconds, so a machine that speeds up or slows down between
        // the two runs cannot move the kill past the end.
        int killAt = new Random(KillSeed).Next(1, Epochs * 3 / 4);
        string output = _folder.File("killed/vqvae.zip");
        string checkpoint = output + ".checkpoint";
        var killed = Watch(Args(output), checkpoint, killAt);

        string context = $"(kill once the checkpoint held {killAt} epochs; last checkpoint seen before it: {killed.LastSeenEpochs} epochs)";
        Assert.True(killed.Run.ExitCode != 0, $"the run ended before the kill {context}: {killed.Run.Stdout}");
        Assert.False(File.Exists(output), "the killed run must not have written the model");
        int saved = TrainingCheckpoint.ReadIfExists(checkpoint, VqVaeTrainer.CheckpointKind)!.CompletedEpochs;
        // Nothing that was checkpointed or reported done is lost: only the epoch in progress at the kill is done again.
        // (The trainer writes the checkpoint before it reports the epoch, so a printed "epoch N/..." means N are saved.)
        int printed = Regex.Matches(killed.Run.Stdout, $@"epoch (\d+)/{Epochs}").Select(m => int.Parse(m.Groups[1].Value)).DefaultIfEmpty(0).Max();
        Assert.InRange(saved, Math.Max(1, Math.Max(printed, killed.LastSeenEpochs)), Epochs - 1);

        var resumed = ChildCli.Run(Args(output));

        Assert.True(resumed.ExitCode == 0, $"{context}\n{resumed.Stdout}{resumed.Stderr}");
        Assert.Contains($"{Epochs} ({saved} resumed)", resumed.Stdout);
        Assert.False(File.Exists(checkpoint));
        Assert.Equal(HeldOutTable(reference.Run.Stdout), HeldOutTable(resumed.Stdout));
        Assert.Equal(Weights(referencePath), Weights(output));
    }

    /// <summary>
    /// Runs the command in a child process and watches its checkpoint. With <paramref name="killAtEpochs"/>, sends
    /// SIGKILL as soon as the checkpoint holds that many epochs; otherwise lets it finish. Returns the run and the last
    /// epoch count read from the checkpoint while it ran.
    /// </summary>
    private static (CliRun Run, int LastSeenEpochs) Watch(string[] args, string checkpoint, int? killAtEpochs)
    {
        using var process = ChildCli.Start(args);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        var clock = Stopwatch.StartNew();
        while (!File.Exists(checkpoint) && !process.HasExited)
        {
            if (clock.Elapsed > TimeSpan.FromMinutes(1)) Assert.Fail("no checkpoint within a minute");
            Thread.Sleep(1);
        }
        int lastSeen = 0;
        while (!process.HasExited && (killAtEpochs is null || lastSeen < killAtEpochs))
        {
            lastSeen = Math.Max(lastSeen, TryReadEpochs(checkpoint));
            if (killAtEpochs is null || lastSeen < killAtEpochs) Thread.Sleep(5);
        }
        if (killAtEpochs is not null && !process.HasExited)
        {
            lastSeen = Math.Max(lastSeen, TryReadEpochs(checkpoint));
            process.Kill(); // SIGKILL on Unix: no handler, no cleanup, like a crash or an OOM kill.
        }
        if (!process.WaitForExit(TimeSpan.FromMinutes(2))) process.Kill(entireProcessTree: true);
        return (new CliRun(process.ExitCode, stdout.Result, stderr.Result), lastSeen);
    }

    private static int TryReadEpochs(string checkpoint)
    {
        try
        {
            return TrainingCheckpoint.ReadIfExists(checkpoint, VqVaeTrainer.CheckpointKind)?.CompletedEpochs ?? 0;
        }
        catch (IOException)
        {
            return 0; // replaced under us by the next epoch's rename
        }
    }

    private static string HeldOutTable(string stdout) =>
        Regex.Match(stdout, @"held-out test set.*?training \(not test results\)", RegexOptions.Singleline).Value;

    private static float[] Weights(string modelPath)
    {
        var model = new MLContext().Inverse().LoadModel(modelPath, out _);
        using var copy = VqVaeTransformer.FindIn(model)!.CopyModel(ComputeDevice.Cpu);
        return ModelTestData.State(copy);
    }
}
