using MlNetInverse.Models.Surrogate;

namespace MlNetInverse.Tests.Models.Surrogate;

/// <summary>The surrogate screen's choice: closest to the target first, ties by draw order, NaN last.</summary>
public sealed class SurrogateScreenTests
{
    [Fact]
    public void GivenPredictions_WhenScreened_ThenTheClosestAreKeptClosestFirstWithTiesInDrawOrderAndNaNLast()
    {
        // Exactly representable, so draws 2 and 3 tie (0.25 away) and draw 0 is 0.375 away.
        float[] predictions = [0.875f, float.NaN, 0.25f, 0.75f, 0.5f, 0f];

        Assert.Equal([4, 2, 3, 0], SurrogateScreen.Closest(predictions, 0.5f, 4));
        Assert.Equal([4, 2, 3, 0, 5, 1], SurrogateScreen.Closest(predictions, 0.5f, 6));
        Assert.Empty(SurrogateScreen.Closest(predictions, 0.5f, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => SurrogateScreen.Closest(predictions, 0.5f, 7));
    }
}
