using MlNetInverse.Physics.Runtime;
using static MlNetInverse.Physics.Formatting.InvariantText;

namespace MlNetInverse.Cli.Generation;

/// <summary>
/// Memory of one target's pass of <c>generate</c>, estimated from --count before anything is allocated. The estimate is
/// that of a pass holding every draw's latents, maps and the chain's buffers (measured peak RSS was 4.2 GB for 2,000
/// designs x 4 draws of 64 x 64 maps, 0.9 GB at 200, about 28 maps' floats per draw), as --verify and --verify-rank
/// still make them. Plain generate now streams a target in chunks (ChunkedGeneration) and stays far below it (576 MB
/// at 2,000 x 4); the check is conservative there.
/// </summary>
internal static class GenerationMemory
{
    private const double RuntimeBytes = 0.5e9;
    private const double ImageCopiesPerDraw = 28;
    private const double LatentCopiesPerDraw = 2;

    /// <summary>Estimated peak bytes of one target with <paramref name="draws"/> MDN draws.</summary>
    public static double EstimateBytes(long draws, int latentLength, int imageSize) =>
        RuntimeBytes + draws * 4.0 * (LatentCopiesPerDraw * latentLength + ImageCopiesPerDraw * imageSize * (double)imageSize);

    /// <summary>
    /// Refuses a --count whose one-target pass cannot be held: beyond the largest array one column may have, or beyond
    /// the memory available (<see cref="MemoryBudget"/>).
    /// </summary>
    /// <exception cref="InsufficientMemoryException">It would not fit; one line with the estimate and the memory available.</exception>
    public static void Check(int designs, int oversampling, int latentLength, int imageSize)
    {
        long draws = (long)designs * Math.Max(1, oversampling);
        long perDraw = Math.Max((long)latentLength, (long)imageSize * imageSize);
        long largest = Array.MaxLength / perDraw / Math.Max(1, oversampling);
        string screen = oversampling > 1 ? Text($" x {oversampling} draws for the surrogate screen") : "";
        if (draws * perDraw > Array.MaxLength)
            throw new InsufficientMemoryException(Text(
                $"--count {designs}: {designs}{screen} of {imageSize} x {imageSize} pixels per target exceed the largest column one pass can hold ({EstimateBytes(draws, latentLength, imageSize) / 1e9:G3} GB needed, {MemoryBudget.Gigabytes(MemoryBudget.AvailableBytes)} available); use --count {largest} or fewer and run several seeds."));
        MemoryBudget.Check(EstimateBytes(draws, latentLength, imageSize),
            Text($"--count {designs}: one target's {designs} designs{screen} of {imageSize} x {imageSize} pixels need about {{0}} while they are made"),
            Text($"Use a smaller --count (several runs with other --seed values give more designs)"));
    }
}
