using MlNetInverse.Physics.Microstructures;
using static TorchSharp.torch;

namespace MlNetInverse.Baselines.Shared;

/// <summary>Turns generated grey-level images into binary <see cref="Microstructure"/> maps (see <see cref="BinarizationRule"/>).</summary>
public static class MicrostructureBinarizer
{
    /// <summary>Binarizes one image of <paramref name="size"/> x <paramref name="size"/> values (x * size + y layout; any real values).</summary>
    /// <exception cref="ArgumentException">Wrong length or a NaN value.</exception>
    public static Microstructure Binarize(ReadOnlySpan<float> pixels, int size, BinarizationRule rule)
    {
        if (size < 1 || pixels.Length != size * size)
            throw new ArgumentException($"A {size}x{size} image needs {size * size} values; got {pixels.Length}.", nameof(pixels));
        var isMaterialA = new bool[pixels.Length];
        switch (rule)
        {
            case BinarizationRule.Threshold:
                for (int i = 0; i < pixels.Length; i++)
                {
                    if (float.IsNaN(pixels[i])) throw NaN(i, size);
                    isMaterialA[i] = pixels[i] > 0.5f;
                }
                break;
            case BinarizationRule.PredictedVolumeFraction:
                double sum = 0;
                for (int i = 0; i < pixels.Length; i++)
                {
                    if (float.IsNaN(pixels[i])) throw NaN(i, size);
                    sum += pixels[i];
                }
                double fraction = Math.Clamp(sum / pixels.Length, 0, 1);
                MarkHighest(pixels, (int)Math.Round(fraction * pixels.Length, MidpointRounding.AwayFromZero), isMaterialA);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(rule), rule, "Binarization must be Threshold or PredictedVolumeFraction.");
        }
        return Microstructure.FromBinary(isMaterialA, size);
    }

    /// <summary>Binarizes a batch of images [B, S*S] or [B, 1, S, S] (any device, any float type) into B maps.</summary>
    public static IReadOnlyList<Microstructure> Binarize(Tensor images, int size, BinarizationRule rule)
    {
        ArgumentNullException.ThrowIfNull(images);
        float[] values;
        using (var cpu = images.detach().to_type(ScalarType.Float32).cpu().contiguous()) values = cpu.data<float>().ToArray();
        int pixels = size * size;
        if (values.Length % pixels != 0)
            throw new ArgumentException($"Images hold {values.Length} values, not a multiple of {size}x{size}.", nameof(images));
        var maps = new Microstructure[values.Length / pixels];
        for (int b = 0; b < maps.Length; b++) maps[b] = Binarize(values.AsSpan(b * pixels, pixels), size, rule);
        return maps;
    }

    /// <summary>Marks the <paramref name="count"/> highest values; equal values go to the lowest index first (sort-independent).</summary>
    private static void MarkHighest(ReadOnlySpan<float> values, int count, bool[] marks)
    {
        if (count <= 0) return;
        var order = new int[values.Length];
        for (int i = 0; i < order.Length; i++) order[i] = i;
        var keys = values.ToArray();
        // Descending by value, ascending by index on ties: a total order, so any sort algorithm gives the same result.
        Array.Sort(order, (a, b) => keys[a] != keys[b] ? keys[b].CompareTo(keys[a]) : a.CompareTo(b));
        for (int i = 0; i < Math.Min(count, order.Length); i++) marks[order[i]] = true;
    }

    private static ArgumentException NaN(int index, int size) =>
        new($"Pixel ({index / size}, {index % size}) is NaN; a generated image must be finite.", "pixels");
}
