using MlNetInverse.Models.Devices;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetInverse.Models.Training;

/// <summary>Checks flat training arrays and turns them into tensors; hashes them for checkpoint fingerprints.</summary>
internal static class TrainingData
{
    /// <summary>
    /// The held-out share of <paramref name="count"/> items: the first round(count * fraction) (at least 1, at most
    /// count - 1) of a seeded shuffle, sorted. Drawn before anything is learned, so no statistic sees the held-out items.
    /// </summary>
    /// <exception cref="ArgumentException">Fewer than 2 items.</exception>
    public static int[] HeldOutIndices(int count, double fraction, long seed, string what)
    {
        if (count < 2) throw new ArgumentException($"{what} needs at least 2 items (one to train, one to test); got {count}.", nameof(count));
        int heldOut = Math.Clamp((int)Math.Round(count * fraction, MidpointRounding.AwayFromZero), 1, count - 1);
        var order = new SeededRandom(seed, SeededRandom.Purpose.HeldOutSplit).Permutation(count);
        return order[..heldOut].Order().ToArray();
    }

    /// <summary>Number of images in <paramref name="images"/> (N * S * S values in [0, 1]).</summary>
    /// <exception cref="ArgumentException">Empty, a length that is not a multiple of S*S, or a value outside [0, 1] / NaN.</exception>
    public static int CountImages(float[] images, int imageSize, string name)
    {
        ArgumentNullException.ThrowIfNull(images, name);
        int pixels = imageSize * imageSize;
        if (images.Length == 0 || images.Length % pixels != 0)
            throw new ArgumentException($"{name} must hold N * {imageSize} * {imageSize} = N * {pixels} pixel values (N >= 1); got {images.Length} values.", name);
        for (int i = 0; i < images.Length; i++)
        {
            float p = images[i];
            if (!(p >= 0f && p <= 1f))
                throw new ArgumentException($"{name}: image {i / pixels}, pixel {i % pixels} is {p}; pixel values must lie in [0, 1].", name);
        }
        return images.Length / pixels;
    }

    /// <summary>Checks that <paramref name="labels"/> has one finite value per image.</summary>
    public static void CheckLabels(float[] labels, int count, string name)
    {
        ArgumentNullException.ThrowIfNull(labels, name);
        if (labels.Length != count)
            throw new ArgumentException($"{name} must hold one label per image ({count}); got {labels.Length}.", name);
        for (int i = 0; i < labels.Length; i++)
            if (!float.IsFinite(labels[i])) throw new ArgumentException($"{name}[{i}] is {labels[i]}; labels must be finite.", name);
    }

    public static Tensor ImageTensor(float[] images, int count, int imageSize, Device device)
    {
        using var cpu = tensor(images, [count, 1, imageSize, imageSize]);
        return cpu.to(device);
    }

    public static Tensor LabelTensor(float[] labels, Device device)
    {
        using var cpu = tensor(labels);
        return cpu.to(device);
    }

    public static Tensor IndexTensor(ReadOnlySpan<int> indices, Device device)
    {
        var values = new long[indices.Length];
        for (int i = 0; i < values.Length; i++) values[i] = indices[i];
        return tensor(values, device: device);
    }

    /// <summary>A 64-bit hash of the exact float bits (FNV-1a over 32-bit words, then mixed), for checkpoint fingerprints.</summary>
    public static string Hash(params float[]?[] arrays)
    {
        ulong hash = 0xCBF29CE484222325UL;
        foreach (var array in arrays)
        {
            if (array is null)
            {
                hash = (hash ^ 0xFFFFFFFFUL) * 0x100000001B3UL;
                continue;
            }
            hash = (hash ^ (ulong)array.Length) * 0x100000001B3UL;
            foreach (float value in array) hash = (hash ^ (uint)BitConverter.SingleToInt32Bits(value)) * 0x100000001B3UL;
        }
        return SplitMix64.Mix(hash).ToString("x16", System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Hash of every parameter and buffer value of <paramref name="module"/>.</summary>
    public static string Hash(nn.Module module) =>
        Hash(module.state_dict().Values.Select(t => t.detach().cpu().to_type(ScalarType.Float32).contiguous().data<float>().ToArray()).ToArray());

    public static Device Resolve(ComputeDevice requested, out string? notice) => DeviceResolver.Resolve(requested, out notice);
}
