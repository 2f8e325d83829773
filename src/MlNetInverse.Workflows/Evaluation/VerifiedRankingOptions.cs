namespace MlNetInverse.Workflows.Evaluation;

/// <summary>Settings of verify-and-rank generation (<see cref="VerifiedRanking"/>).</summary>
public sealed record VerifiedRankingOptions
{
    /// <summary>MDN draws per requested design (draws). Default 8: 240 candidates for 30 designs.</summary>
    public int Oversample { get; init; } = 8;

    /// <summary>REP a design must have under RCWA to count as confirmed (percent). Default 1.</summary>
    public double TolerancePercent { get; init; } = 1.0;

    /// <summary>
    /// RCWA simulations per target at most (simulations). Default 0: twice the requested designs. Simulation stops
    /// earlier once enough designs are confirmed.
    /// </summary>
    public int MaxSimulations { get; init; }

    /// <summary>
    /// Simulations of the first round (simulations; at least the RCWA workers, at most the designs still missing).
    /// After every round the surrogate's local offset at this target (mean RCWA minus surrogate absorption of the
    /// designs simulated so far) is added to its guesses before the remaining draws are ranked again, so a surrogate
    /// that is biased near the target (e.g. -0.005 at 0.75 on the shipped data) no longer steers every design to the
    /// same side of it. Default 8; 0 ranks by the uncorrected surrogate and starts with a full round.
    /// </summary>
    public int CalibrationSimulations { get; init; } = 8;

    /// <summary>The simulation budget for <paramref name="count"/> designs.</summary>
    public int BudgetFor(int count) => MaxSimulations > 0 ? MaxSimulations : 2 * count;

    /// <summary>Checks every option.</summary>
    /// <exception cref="ArgumentException">An option out of range; the message names it and its value.</exception>
    public void Validate()
    {
        if (Oversample < 1) throw new ArgumentException($"--oversample must be at least 1 draw per design; got {Oversample}.");
        if (!(TolerancePercent > 0 && double.IsFinite(TolerancePercent)))
            throw new ArgumentException($"--tolerance-percent must be a finite REP above 0 (percent); got {TolerancePercent}.");
        if (CalibrationSimulations < 0)
            throw new ArgumentException($"--calibration-simulations must be 0 (no surrogate correction) or at least 1; got {CalibrationSimulations}.");
        if (MaxSimulations < 0)
            throw new ArgumentException($"--max-simulations must be 0 (twice the designs) or at least 1; got {MaxSimulations}.");
    }
}
