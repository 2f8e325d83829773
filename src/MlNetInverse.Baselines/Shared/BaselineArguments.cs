using System.Globalization;
using MlNetInverse.Models.Training;

namespace MlNetInverse.Baselines.Shared;

/// <summary>Checks of the arguments every baseline takes (training arrays, generation requests).</summary>
internal static class BaselineArguments
{
    /// <summary>
    /// Checks N images of <paramref name="imageSize"/> x <paramref name="imageSize"/> pixels in [0, 1] and N finite
    /// absorption labels; returns N.
    /// </summary>
    /// <exception cref="ArgumentException">Bad lengths or values; the message names the image, pixel or label.</exception>
    public static int CheckTrainingData(float[] images, float[] absorption, int imageSize, int minimumCount = 2)
    {
        int count = TrainingData.CountImages(images, imageSize, nameof(images));
        TrainingData.CheckLabels(absorption, count, nameof(absorption));
        if (count < minimumCount)
            throw new ArgumentException($"Training needs at least {minimumCount} images; got {count}.", nameof(images));
        return count;
    }

    /// <summary>Checks a generation request: a finite, positive target and a count of at least 1.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The target or the count is out of range.</exception>
    public static void CheckGeneration(double targetAbsorption, int count)
    {
        if (!(targetAbsorption > 0 && double.IsFinite(targetAbsorption)))
            throw new ArgumentOutOfRangeException(nameof(targetAbsorption), targetAbsorption,
                $"The target absorption must be finite and > 0 (the REP divides by it); got {targetAbsorption.ToString(CultureInfo.InvariantCulture)}.");
        if (count < 1)
            throw new ArgumentOutOfRangeException(nameof(count), count, $"Generate at least 1 map; got count = {count}.");
    }

    /// <summary>An <see cref="ArgumentException"/> for option <paramref name="option"/> of <paramref name="owner"/>.</summary>
    public static ArgumentException BadOption(string owner, string option, object value, string expected) =>
        new($"{owner}.{option} must be {expected}; got {Convert.ToString(value, CultureInfo.InvariantCulture)}.", option);
}
