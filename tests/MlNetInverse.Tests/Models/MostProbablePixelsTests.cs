using MlNetInverse.Models.VqVae;

namespace MlNetInverse.Tests.Models;

public sealed class MostProbablePixelsTests
{
    [Theory]
    [InlineData(1, 4096)]
    [InlineData(2, 100)]
    [InlineData(3, 7)]
    public void GivenRandomProbabilitiesWithTies_WhenTheKthLargestIsSelected_ThenItIsWhatADescendingSortGives(int seed, int length)
    {
        var random = new Random(seed);
        // Sigmoid-like values with exact 0s and 1s, repeated values, and a few negatives and tiny numbers.
        var values = Enumerable.Range(0, length).Select(_ => random.Next(10) switch
        {
            0 => 0f,
            1 => 1f,
            2 => -(float)random.NextDouble(),
            3 => (float)random.NextDouble() * 1e-30f,
            4 => 0.5f,
            _ => (float)random.NextDouble(),
        }).ToArray();
        var sorted = values.OrderByDescending(v => v).ToArray();

        foreach (int k in new[] { 1, 2, length / 3, length / 2, length - 1, length }.Where(k => k >= 1).Distinct())
            Assert.Equal(sorted[k - 1], MostProbablePixels.Cut(values, k));
    }

    [Fact]
    public void GivenSaturatedProbabilitiesWithinAMillionthOfOneAndZero_WhenTheKthLargestIsSelected_ThenItIsWhatADescendingSortGives()
    {
        // A decoder's confident pixels: 4,096 sigmoid outputs that differ only in the last bits of their mantissas.
        var random = new Random(11);
        var values = Enumerable.Range(0, 4096).Select(i => i % 3 == 0 ? (float)(random.NextDouble() * 1e-6) : 1f - (float)(random.NextDouble() * 1e-6)).ToArray();
        var sorted = values.OrderByDescending(v => v).ToArray();

        foreach (int k in new[] { 1, 100, 1365, 2730, 2731, 2732, 4000, 4096 })
            Assert.Equal(sorted[k - 1], MostProbablePixels.Cut(values, k));
    }

    [Fact]
    public void GivenACountOutsideTheMap_WhenSelected_ThenTheErrorNamesTheRange()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => MostProbablePixels.Cut(new float[16], 17));
        Assert.Contains("between 1 and 16", error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => MostProbablePixels.Cut(new float[16], 0));
    }
}
