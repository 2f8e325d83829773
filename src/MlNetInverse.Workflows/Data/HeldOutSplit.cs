using MlNetInverse.Physics.Randomness;

namespace MlNetInverse.Workflows.Data;

/// <summary>
/// A seeded split of N records into training and held-out indices, made before anything is trained: the same seed
/// and N always give the same split. Fisher-Yates shuffle driven by SplitMix64; held-out = the first share, sorted.
/// </summary>
internal sealed record HeldOutSplit(int[] Training, int[] HeldOut)
{
    /// <summary>Splits <paramref name="count"/> records, holding out round(count * fraction), at least 1 and at most count - 1.</summary>
    /// <exception cref="InvalidOperationException">Fewer than 2 records.</exception>
    public static HeldOutSplit Of(int count, double fraction, long seed)
    {
        if (count < 2)
            throw new InvalidOperationException($"the dataset has {count} record(s); a held-out evaluation needs at least 2 (one to train on, one to test).");
        int heldOut = Math.Clamp((int)Math.Round(count * fraction, MidpointRounding.AwayFromZero), 1, count - 1);
        var order = Enumerable.Range(0, count).ToArray();
        ulong state = unchecked((ulong)seed) ^ 0x5DEECE66DUL;
        for (int i = count - 1; i > 0; i--)
        {
            int j = (int)(SplitMix64.Step(ref state) % (ulong)(i + 1));
            (order[i], order[j]) = (order[j], order[i]);
        }
        return new HeldOutSplit(order[heldOut..].Order().ToArray(), order[..heldOut].Order().ToArray());
    }
}
