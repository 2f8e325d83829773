using MlNetInverse.Physics.Randomness;

namespace MlNetInverse.Workflows.Data;

/// <summary>
/// A seeded split of N records into training and held-out indices, made before anything is trained: the same seed
/// and N always give the same split: <see cref="SeededRandom.Permutation"/> (the one Fisher-Yates shuffle) from a stream
/// whose start state is fixed since the first release, so every earlier run's split stays; held-out = the first share,
/// sorted.
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
        var order = SeededRandom.FromState(unchecked((ulong)seed) ^ 0x5DEECE66DUL).Permutation(count);
        return new HeldOutSplit(order[heldOut..].Order().ToArray(), order[..heldOut].Order().ToArray());
    }
}
