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
}
