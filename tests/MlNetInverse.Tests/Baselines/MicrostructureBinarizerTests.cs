using MlNetInverse.Baselines.Shared;
using static TorchSharp.torch;

namespace MlNetInverse.Tests.Baselines;

public sealed class MicrostructureBinarizerTests
{
    [Fact]
    public void GivenAGreyImage_WhenBinarizedAtTheThreshold_ThenPixelsAboveHalfBecomeMaterialA()
    {
        float[] pixels = [0.1f, 0.5f, 0.51f, 0.9f];
        var map = MicrostructureBinarizer.Binarize(pixels, 2, BinarizationRule.Threshold);
        Assert.Equal(new[] { 0f, 0f, 1f, 1f }, map.ToArray());
    }

    [Fact]
    public void GivenABlurryImage_WhenBinarizedAtItsPredictedVolumeFraction_ThenTheFractionIsKeptAndTiesGoToTheLowestIndex()
    {
        // Mean 0.375 of 4 pixels: round(1.5) = 2 pixels, although only one pixel is above 0.5.
        float[] pixels = [0.3f, 0.6f, 0.3f, 0.3f];
        var map = MicrostructureBinarizer.Binarize(pixels, 2, BinarizationRule.PredictedVolumeFraction);
        Assert.Equal(new[] { 1f, 1f, 0f, 0f }, map.ToArray());
        Assert.Equal(new[] { 0f, 1f, 0f, 0f }, MicrostructureBinarizer.Binarize(pixels, 2, BinarizationRule.Threshold).ToArray());

        // PCA reconstructions overshoot [0, 1]: the fraction is clamped, never more than every pixel.
        Assert.All(MicrostructureBinarizer.Binarize([1.4f, 1.2f, 1.1f, 0.9f], 2, BinarizationRule.PredictedVolumeFraction).ToArray(), p => Assert.Equal(1f, p));
        Assert.All(MicrostructureBinarizer.Binarize([-0.2f, -0.1f, 0.1f, 0.05f], 2, BinarizationRule.PredictedVolumeFraction).ToArray(), p => Assert.Equal(0f, p));
    }

    [Fact]
    public void GivenABatchTensor_WhenBinarized_ThenEachImageBecomesOneMap_AndBadInputIsNamed()
    {
        using var images = tensor(new float[] { 0.9f, 0.1f, 0.2f, 0.8f, 0.1f, 0.1f, 0.1f, 0.7f }, [2, 1, 2, 2]);
        var maps = MicrostructureBinarizer.Binarize(images, 2, BinarizationRule.PredictedVolumeFraction);
        Assert.Equal(2, maps.Count);
        Assert.Equal(new[] { 1f, 0f, 0f, 1f }, maps[0].ToArray());
        Assert.Equal(new[] { 0f, 0f, 0f, 1f }, maps[1].ToArray());
        Assert.Contains("NaN", Assert.Throws<ArgumentException>(() => MicrostructureBinarizer.Binarize([0f, float.NaN, 0f, 0f], 2, BinarizationRule.Threshold)).Message);
        Assert.Contains("needs 4 values", Assert.Throws<ArgumentException>(() => MicrostructureBinarizer.Binarize([0f, 1f], 2, BinarizationRule.Threshold)).Message);
    }
}
