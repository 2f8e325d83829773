using System.Text.Json;
using MlNetInverse.Models.Mdn;
using MlNetInverse.Models.Surrogate;
using MlNetInverse.Models.Training;
using MlNetInverse.Models.VqVae;

namespace MlNetInverse.Tests.Models.Training;

public sealed class TrainingOptionsTests
{
    private static string[] PropertyNames<T>(T value)
    {
        using var json = JsonDocument.Parse(JsonSerializer.Serialize(value));
        return json.RootElement.EnumerateObject().Select(p => p.Name).ToArray();
    }

    [Fact]
    public void GivenMdnTrainingOptions_WhenWrittenAsJson_ThenTheSharedAndSupervisedSettingsKeepTheOrderSavedBaselinesHold()
    {
        // Saved PCA-MDN and GAN-MDN files hold these options as JSON in their header: the order may not move.
        Assert.Equal(
            ["Epochs", "BatchSize", "LearningRate", "FinalLearningRateFraction", "HeldOutFraction", "Seed", "Device", "Threads", "CheckpointPath", "CheckpointIntervalSeconds"],
            PropertyNames(new MdnTrainingOptions()));
    }

    [Fact]
    public void GivenEachTrainersOptions_WhenAnInheritedSettingIsOutOfRange_ThenTheMessageNamesTheTrainersOptionsType()
    {
        TrainingOptions[] options = [new MdnTrainingOptions(), new SurrogateTrainingOptions(), new VqVaeTrainingOptions()];
        foreach (var option in options)
        {
            var error = Assert.Throws<ArgumentException>(() => (option with { BatchSize = 0 }).Validate());
            Assert.Equal("BatchSize", error.ParamName);
            Assert.StartsWith($"{option.GetType().Name}.BatchSize must be at least 1", error.Message);
            Assert.Equal("CheckpointIntervalSeconds", Assert.Throws<ArgumentException>(() => (option with { CheckpointIntervalSeconds = -1 }).Validate()).ParamName);
        }
    }

    [Fact]
    public void GivenTheSupervisedTrainers_WhenTheLearningRateIsAsked_ThenItFallsByCosineToTheFinalFraction_WhileTheVqVaeKeepsItConstant()
    {
        var mdn = new MdnTrainingOptions { Epochs = 5, LearningRate = 1e-2, FinalLearningRateFraction = 0.25 };
        Assert.Equal(1e-2, mdn.LearningRateAt(0), 15);
        Assert.Equal(0.5 * (1e-2 + 2.5e-3), mdn.LearningRateAt(2), 15);
        Assert.Equal(2.5e-3, mdn.LearningRateAt(4), 15);
        var vqvae = new VqVaeTrainingOptions { Epochs = 5, LearningRate = 1e-2 };
        Assert.All(Enumerable.Range(0, 5), e => Assert.Equal(1e-2, vqvae.LearningRateAt(e)));
    }
}
