using MlNetInverse.Tests.Models;
using MlNetInverse.Tests.Onnx;
using MlNetInverse.Workflows.Evaluation;
using MlNetInverse.Workflows.Generation;

namespace MlNetInverse.Tests.Evaluation;

/// <summary>The report's settings line says where the zip's designs are cut, which depends on its VQ-VAE.</summary>
[Collection(TorchDeterminismCollection.Name)]
public sealed class ProposedMethodSettingsTests
{
    [Theory]
    [InlineData(false, "binarized at 0.5 (the VQ-VAE has no volume fraction readout)")]
    [InlineData(true, "binarized at the volume fraction its readout takes from each draw's snapped codes")]
    public void GivenAZipWithOrWithoutAReadout_WhenItsSettingsAreDescribed_ThenTheLineNamesItsCut(bool readout, string expected)
    {
        using var generator = TinyGenerator.Create(volumeFractionReadout: readout);
        var model = GenerationModel.Of(generator.MlContext, generator.Chain(3, 2), "tiny");

        string settings = ProposedMethod.Settings(model, 3);

        Assert.Contains(expected, settings);
        Assert.Equal(readout, !settings.Contains("at 0.5"));
    }
}
