using MlNetInverse.Models.Mdn;

namespace MlNetInverse.Baselines.Shared;

/// <summary>Forwards <see cref="MdnTrainer"/>'s epoch metrics as <see cref="BaselineTrainingProgress"/> of stage "mdn".</summary>
internal sealed class MdnProgressForwarder(IProgress<BaselineTrainingProgress>? target, int epochs) : IProgress<MdnEpochMetrics>
{
    public const string Stage = "mdn";

    public void Report(MdnEpochMetrics value) =>
        target?.Report(new BaselineTrainingProgress(Stage, value.Epoch, epochs, value.TrainingNll, value.HeldOutNll, value.Seconds));
}
