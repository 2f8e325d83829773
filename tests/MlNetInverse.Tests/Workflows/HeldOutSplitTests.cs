using MlNetInverse.Physics.Randomness;
using MlNetInverse.Workflows.Data;

namespace MlNetInverse.Tests.Workflows;

public sealed class HeldOutSplitTests
{
    [Fact]
    public void GivenASeed_WhenSplit_ThenTheSplitIsDisjointCompleteAndRepeatable()
    {
        var first = HeldOutSplit.Of(100, 0.1, seed: 4);
        var again = HeldOutSplit.Of(100, 0.1, seed: 4);
        var other = HeldOutSplit.Of(100, 0.1, seed: 5);

        Assert.Equal(10, first.HeldOut.Length);
        Assert.Equal(Enumerable.Range(0, 100), first.Training.Concat(first.HeldOut).Order());
        Assert.Equal(first.HeldOut, again.HeldOut);
        Assert.NotEqual(first.HeldOut, other.HeldOut);
        Assert.Throws<InvalidOperationException>(() => HeldOutSplit.Of(1, 0.5, seed: 0));
    }

    [Fact]
    public void GivenATinyFraction_WhenSplit_ThenAtLeastOneRecordIsHeldOutAndOneKept()
    {
        Assert.Single(HeldOutSplit.Of(5, 0.01, seed: 1).HeldOut);
        Assert.Single(HeldOutSplit.Of(5, 0.99, seed: 1).Training);
    }

    [Theory]
    [InlineData(5000, 0.1, 0L)]
    [InlineData(4500, 0.2, 0L)]
    [InlineData(257, 0.1, -3L)]
    [InlineData(40, 0.5, 12345678901L)]
    public void GivenAnEarlierRunsSettings_WhenSplit_ThenTheSplitIsTheOneEarlierReleasesDrew(int count, double fraction, long seed)
    {
        // The split before it moved onto the shared permutation: Fisher-Yates over SplitMix64 from seed ^ 0x5DEECE66D.
        var order = Enumerable.Range(0, count).ToArray();
        ulong state = unchecked((ulong)seed) ^ 0x5DEECE66DUL;
        for (int i = count - 1; i > 0; i--)
        {
            int j = (int)(SplitMix64.Step(ref state) % (ulong)(i + 1));
            (order[i], order[j]) = (order[j], order[i]);
        }
        int heldOut = Math.Clamp((int)Math.Round(count * fraction, MidpointRounding.AwayFromZero), 1, count - 1);

        var split = HeldOutSplit.Of(count, fraction, seed);

        Assert.Equal(order[..heldOut].Order(), split.HeldOut);
        Assert.Equal(order[heldOut..].Order(), split.Training);
    }
}
