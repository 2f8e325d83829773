using MlNetInverse.ML.Generation;
using MlNetInverse.ML.Persistence;

namespace MlNetInverse.ML.Mdn;

/// <summary>
/// Measures an <see cref="MdnCalibration"/>: for conditioning values spread over the MDN's training range it draws
/// latents, decodes them with the chain's decoder (snapping, binarizing) and averages the surrogate's absorption of the
/// designs. Surrogate-based, like the decode step's own predictions; RCWA judges the final designs.
/// </summary>
internal static class MdnCalibrator
{
    /// <summary>The calibration of <paramref name="mdn"/> through <paramref name="decoder"/>.</summary>
    /// <exception cref="ArgumentException">The decoder's latents do not have the MDN's latent size.</exception>
    public static MdnCalibration Measure(MdnTransformer mdn, MicrostructureDecodeTransformer decoder, MdnCalibrationOptions options)
    {
        options.Validate();
        int latentLength = ((Microsoft.ML.Data.VectorDataViewType)decoder.InputType).Size / decoder.SamplesPerRow;
        if (latentLength != mdn.LatentDimension)
            throw new ArgumentException($"The decoder takes latents of {latentLength} values but the MDN draws {mdn.LatentDimension}.", nameof(decoder));
        double low = mdn.TrainingAbsorptionMin, high = mdn.TrainingAbsorptionMax;
        if (!(high > low) || !double.IsFinite(low) || !double.IsFinite(high))
            throw new InvalidOperationException($"The MDN's training absorption range [{low}, {high}] is empty; it cannot be calibrated.");
        using var draws = decoder.WithSamplesPerRow(options.DrawsPerPoint);
        var batch = draws.CreateBatch(1);
        var conditions = new double[options.GridPoints];
        var means = new double[options.GridPoints];
        for (int i = 0; i < conditions.Length; i++)
        {
            // Rounded through float32, the precision the MDN is conditioned in.
            conditions[i] = (float)(low + (high - low) * i / (conditions.Length - 1));
            batch.Reset(1);
            mdn.Draw((float)conditions[i], options.DrawsPerPoint, MdnTransformer.RowSeed(options.Seed, (float)conditions[i])).CopyTo(batch.InputOf(0));
            draws.RunForward(batch);
            means[i] = batch.Singles(1).ToArray().Average(v => (double)v);
        }
        return MdnCalibration.FromMeasurements(conditions, means);
    }
}
