namespace MlNetInverse.Models.CodePrior;

/// <summary>Where a <see cref="CodePriorTrainer"/> run stands.</summary>
/// <param name="Step">Steps done.</param>
/// <param name="Steps">Steps in the run.</param>
/// <param name="TrainingLoss">Mean cross-entropy (nats per masked cell) over the steps since the last report.</param>
/// <param name="HeldOutLoss">The held-out loss now (nats per masked cell, fixed masks), or NaN between the reports that measure it.</param>
/// <param name="Elapsed">Time since the run started.</param>
public sealed record CodePriorProgress(int Step, int Steps, double TrainingLoss, double HeldOutLoss, TimeSpan Elapsed);

/// <summary>A fitted prior and how its training went.</summary>
/// <param name="Prior">The prior (owned by the caller; dispose it).</param>
/// <param name="TrainingLoss">Mean training cross-entropy over the last report's steps (nats per masked cell).</param>
/// <param name="HeldOutLoss">Cross-entropy on the held-out grids with their labels (nats per masked cell, fixed masks).</param>
/// <param name="UnlabelledHeldOutLoss">The same without labels: the gap to <paramref name="HeldOutLoss"/> is what the absorption tells the prior.</param>
/// <param name="UniformLoss">ln K, the loss of guessing every code equally likely.</param>
/// <param name="TrainingGrids">Grids trained on.</param>
/// <param name="HeldOutGrids">Grids held out.</param>
/// <param name="Elapsed">Wall time of the run.</param>
public sealed record CodePriorTrainingResult(MaskedCodePrior Prior, double TrainingLoss, double HeldOutLoss, double UnlabelledHeldOutLoss, double UniformLoss,
    int TrainingGrids, int HeldOutGrids, TimeSpan Elapsed);
