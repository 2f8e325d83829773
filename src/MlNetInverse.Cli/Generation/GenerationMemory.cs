using MlNetInverse.Physics.Runtime;
using static MlNetInverse.Physics.Formatting.InvariantText;

namespace MlNetInverse.Cli.Generation;

/// <summary>
/// Memory of one target's pass of <c>generate</c>, estimated from --count before anything is allocated. A held pass
/// (--verify, --verify-rank) keeps every draw's latents, maps and the chain's buffers: measured peak RSS was 4.2 GB for
/// 2,000 designs x 4 draws of 64 x 64 maps, 0.9 GB at 200, about 28 maps' floats per draw. Plain generate streams a
/// target in chunks (ChunkedGeneration): one chunk of draws is held like that, and per candidate only a score, a map
/// fingerprint and a prediction (measured 576 MB at 2,000 x 4, against the estimate's 0.97 GB).
/// </summary>
internal static class GenerationMemory
{
    private const double RuntimeBytes = 0.5e9;
    private const double ImageCopiesPerDraw = 28;
    private const double LatentCopiesPerDraw = 2;
    // Score (float), fingerprint (ulong) and rank of each candidate, the prediction of each design, with slack.
    private const double BookkeepingBytesPerCandidate = 24;

    /// <summary>Estimated peak bytes of one target whose <paramref name="draws"/> MDN draws are all held at once.</summary>
    public static double EstimateBytes(long draws, int latentLength, int imageSize) =>
        RuntimeBytes + draws * DrawBytes(latentLength, imageSize);

    /// <summary>Estimated peak bytes of one target streamed <paramref name="chunkSize"/> draws at a time.</summary>
    public static double EstimateStreamingBytes(long draws, int chunkSize, int latentLength, int imageSize) =>
        RuntimeBytes + Math.Min(draws, chunkSize) * DrawBytes(latentLength, imageSize) + draws * BookkeepingBytesPerCandidate;

    private static double DrawBytes(int latentLength, int imageSize) =>
        4.0 * (LatentCopiesPerDraw * latentLength + ImageCopiesPerDraw * imageSize * (double)imageSize);

    /// <summary>
    /// Refuses a --count whose one-target pass cannot be made: more draws than one pass can index, or beyond the memory
    /// available (<see cref="MemoryBudget"/>). <paramref name="chunkSize"/> is null for a held pass.
    /// </summary>
    /// <exception cref="InsufficientMemoryException">It would not fit; one line with the estimate and the memory available.</exception>
    public static void Check(int designs, int oversampling, int latentLength, int imageSize, int? chunkSize)
    {
        long draws = (long)designs * Math.Max(1, oversampling);
        // A held pass keeps every draw's map in one column; a streamed one keeps a few numbers per draw in arrays.
        long perDraw = chunkSize is null ? Math.Max((long)latentLength, (long)imageSize * imageSize) : 1;
        long largest = Array.MaxLength / perDraw / Math.Max(1, oversampling);
        string screen = oversampling > 1 ? Text($" x {oversampling} draws for the surrogate screen") : "";
        double estimate = chunkSize is { } chunk
            ? EstimateStreamingBytes(draws, chunk, latentLength, imageSize)
            : EstimateBytes(draws, latentLength, imageSize);
        if (draws * perDraw > Array.MaxLength)
            throw new InsufficientMemoryException(Text(
                $"--count {designs}: {designs}{screen} of {imageSize} x {imageSize} pixels per target exceed the largest column one pass can hold ({estimate / 1e9:G3} GB needed, {MemoryBudget.Gigabytes(MemoryBudget.AvailableBytes)} available); use --count {largest} or fewer and run several seeds."));
        MemoryBudget.Check(estimate,
            Text($"--count {designs}: one target's {designs} designs{screen} of {imageSize} x {imageSize} pixels need about {{0}} while they are made"),
            Text($"Use a smaller --count (several runs with other --seed values give more designs)"));
    }
}
