using MlNetInverse.Models.Mdn;
using static MlNetInverse.Tests.Models.ModelTestData;
using static TorchSharp.torch;

namespace MlNetInverse.Tests.Models.Mdn;

[Collection(TorchDeterminismCollection.Name)]
public sealed class ChosenComponentsTests
{
    private static readonly MdnOptions Small = new() { Components = 5, HiddenUnits = 8, HiddenLayers = 2, LatentDimension = 6 };

    [Fact]
    public void GivenPickedComponents_WhenOnlyTheyAreEvaluated_ThenWeightsMeansAndSigmasEqualTheWholeMixturesSlices()
    {
        using var model = new MixtureDensityNetwork(Small, seed: 11);
        model.SetNormalization(new MdnNormalization(0.6, 0.1, [1f, -2f, 0f, 3f, 0.5f, -1f], [0.5f, 2f, 1f, 0.1f, 3f, 1f], 0.3, 0.8));
        float[] absorption = [0.42f, 0.55f, 0.71f];
        // Every target twice, components in no particular order, one component never picked.
        int[] rows = [2, 0, 1, 0, 2, 1];
        int[] components = [4, 0, 3, 0, 1, 4];

        using var mixture = model.Mixture(tensor(absorption));
        var allWeights = Values(mixture.LogWeights);
        var allMeans = Values(mixture.Means);
        var allSigmas = Values(mixture.Sigmas);
        var weights = Values(model.LogWeights(tensor(absorption)));
        var (means, sigmas) = model.ChosenComponents(tensor(absorption), rows, components);
        var chosenMeans = Values(means);
        var chosenSigmas = Values(sigmas);
        means.Dispose();
        sigmas.Dispose();

        Assert.Equal(allWeights, weights);
        int l = Small.LatentDimension, k = Small.Components;
        for (int p = 0; p < rows.Length; p++)
            for (int i = 0; i < l; i++)
            {
                int whole = (rows[p] * k + components[p]) * l + i;
                Assert.Equal(allMeans[whole], chosenMeans[p * l + i], 5e-6f);
                Assert.Equal(allSigmas[whole], chosenSigmas[p * l + i], 5e-6f);
            }
    }

    [Theory]
    [InlineData(3, 0, "target 3")]
    [InlineData(0, 5, "component 5")]
    [InlineData(-1, 0, "target -1")]
    public void GivenAPairOutOfRange_WhenComponentsAreChosen_ThenTheErrorNamesIt(int row, int component, string named)
    {
        using var model = new MixtureDensityNetwork(Small, seed: 11);
        var error = Assert.Throws<ArgumentException>(() => model.ChosenComponents(tensor(new[] { 0.5f, 0.6f, 0.7f }), [row], [component]));
        Assert.Contains(named, error.Message);
    }
}
