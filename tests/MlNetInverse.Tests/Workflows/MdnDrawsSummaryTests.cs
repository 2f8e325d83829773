using MlNetInverse.ML.Mdn;
using MlNetInverse.Tests.Models;
using MlNetInverse.Tests.Onnx;
using MlNetInverse.Workflows.Pipelines;

namespace MlNetInverse.Tests.Workflows;

[Collection(TorchDeterminismCollection.Name)]
public sealed class MdnDrawsSummaryTests
{
    [Fact]
    public void GivenNoiseBandsAndACalibration_WhenTheMdnStageIsSummarised_ThenTheLineNamesTheBandsAndTheReachOfTheDraws()
    {
        using var banded = TinyGenerator.Create(correlatedNoise: true, noiseBands: 3, calibration: new MdnCalibration([0.3, 0.55, 0.8], [0.36, 0.5, 0.71]));
        Assert.Equal("; noise correlation in 3 bands; calibrated draws reach 0.360-0.710 on average (surrogate)", TrainingStages.MdnDrawsSummary(banded.Mdn));

        using var shared = TinyGenerator.Create(correlatedNoise: true);
        Assert.Equal("; one noise correlation", TrainingStages.MdnDrawsSummary(shared.Mdn));

        using var paper = TinyGenerator.Create();
        Assert.Equal("", TrainingStages.MdnDrawsSummary(paper.Mdn));
    }
}
