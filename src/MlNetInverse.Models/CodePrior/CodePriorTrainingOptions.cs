using System.Globalization;
using MlNetInverse.Models.Devices;

namespace MlNetInverse.Models.CodePrior;

/// <summary>How <see cref="CodePriorTrainer"/> fits a <see cref="MaskedCodePrior"/>.</summary>
public sealed record CodePriorTrainingOptions
{
    /// <summary>Optimiser steps (steps). Default 8,000: the held-out loss was still falling at 3,000 (measured on the main job's codes).</summary>
    public int Steps { get; init; } = 8000;

    /// <summary>Grids per step (batch). Default 64.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>Peak learning rate of AdamW, reached after <see cref="WarmupSteps"/> and decayed to 0 on a cosine. Default 1e-3.</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>AdamW's decoupled weight decay. Default 0.01.</summary>
    public double WeightDecay { get; init; } = 0.01;

    /// <summary>Steps of linear warm-up. Default 200.</summary>
    public int WarmupSteps { get; init; } = 200;

    /// <summary>Share of grids trained without their label, so the prior also learns the unconditioned distribution. Default 0.1.</summary>
    public double LabelDropout { get; init; } = 0.1;

    /// <summary>Share of grids held out for the held-out loss (never trained on). Default 0.1.</summary>
    public double HeldOutFraction { get; init; } = 0.1;

    /// <summary>Steps between progress reports. Default 250.</summary>
    public int ReportEvery { get; init; } = 250;

    /// <summary>Seed of the weights, the split, the batches and the masks. Default 0.</summary>
    public long Seed { get; init; }

    /// <summary>Torch intra-op threads while training (0: keep torch's setting). Default 0.</summary>
    public int Threads { get; init; }

    /// <summary>Where the prior trains (auto: CUDA when available). Default cpu.</summary>
    public ComputeDevice Device { get; init; } = ComputeDevice.Cpu;

    /// <summary>Checks every option.</summary>
    /// <exception cref="ArgumentException">An option is out of range; the message names it, its value and what is allowed.</exception>
    public void Validate()
    {
        if (Steps < 1) throw Bad(nameof(Steps), Steps, "at least 1");
        if (BatchSize < 1) throw Bad(nameof(BatchSize), BatchSize, "at least 1");
        if (!(LearningRate > 0) || double.IsInfinity(LearningRate)) throw Bad(nameof(LearningRate), LearningRate, "a positive finite number");
        if (!(WeightDecay >= 0) || double.IsInfinity(WeightDecay)) throw Bad(nameof(WeightDecay), WeightDecay, "0 or a positive finite number");
        if (WarmupSteps < 0) throw Bad(nameof(WarmupSteps), WarmupSteps, "0 or more");
        if (!(LabelDropout >= 0 && LabelDropout < 1)) throw Bad(nameof(LabelDropout), LabelDropout, "in [0, 1)");
        if (!(HeldOutFraction > 0 && HeldOutFraction < 1)) throw Bad(nameof(HeldOutFraction), HeldOutFraction, "in (0, 1)");
        if (ReportEvery < 1) throw Bad(nameof(ReportEvery), ReportEvery, "at least 1");
        if (Threads < 0) throw Bad(nameof(Threads), Threads, "0 (keep torch's setting) or at least 1");
        if (!Enum.IsDefined(Device)) throw Bad(nameof(Device), Device, "cpu, cuda or auto");
    }

    private static ArgumentException Bad(string name, object value, string allowed) =>
        new(string.Create(CultureInfo.InvariantCulture, $"CodePriorTrainingOptions.{name} is {value}; it must be {allowed}."), name);
}
