namespace MlNetInverse.Models.Mdn;

/// <summary>Checks the flat (absorption, latent) arrays an MDN trains on.</summary>
internal static class MdnTrainingData
{
    /// <summary>
    /// Checks that <paramref name="absorption"/> (N values) and <paramref name="latents"/> (N * L values) are finite and
    /// consistent, and returns L: <paramref name="latentDimension"/>, or latents.Length / N when it is 0.
    /// </summary>
    /// <exception cref="ArgumentException">Empty, NaN/infinite values, or lengths that do not match; the message says which.</exception>
    public static int CheckPairs(float[] absorption, float[] latents, int latentDimension)
    {
        ArgumentNullException.ThrowIfNull(absorption);
        ArgumentNullException.ThrowIfNull(latents);
        int count = absorption.Length;
        if (count < 2)
            throw new ArgumentException($"absorption must hold at least 2 values (one to train, one to test); got {count}.", nameof(absorption));
        for (int i = 0; i < count; i++)
            if (!float.IsFinite(absorption[i])) throw new ArgumentException($"absorption[{i}] is {absorption[i]}; absorption values must be finite.", nameof(absorption));

        int l = latentDimension;
        if (l == 0)
        {
            if (latents.Length == 0 || latents.Length % count != 0)
                throw new ArgumentException(
                    $"latents must hold N * L values with N = {count} (the absorption count); got {latents.Length} values, not a positive multiple of {count}.", nameof(latents));
            l = latents.Length / count;
        }
        else if (latents.Length % l != 0)
        {
            throw new ArgumentException(
                $"latents must hold N * LatentDimension = N * {l} values; got {latents.Length}, not a multiple of {l}.", nameof(latents));
        }
        else if (latents.Length / l != count)
        {
            throw new ArgumentException(
                $"latents hold {latents.Length / l} latent vectors of dimension {l} but absorption holds {count} values; they must pair one to one.", nameof(latents));
        }
        for (int i = 0; i < latents.Length; i++)
            if (!float.IsFinite(latents[i]))
                throw new ArgumentException($"latents[{i}] (target {i / l}, dimension {i % l}) is {latents[i]}; latent values must be finite.", nameof(latents));
        return l;
    }
}
