using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetInverse.ML;
using MlNetInverse.ML.Data;
using MlNetInverse.ML.VqVae;
using MlNetInverse.Models.VqVae;
using MlNetInverse.Physics.Statistics;
using TorchSharp;

namespace MlNetInverse.Workflows.Pipelines;

/// <summary>
/// What a fitted VQ-VAE does to held-out images it never trained on: every image is encoded, quantized and decoded
/// (the decoder of <see cref="InverseCatalog.VqVaeDecode(VqVaeTransformer, string, string?, bool, MlNetInverse.Models.Devices.ComputeDevice)"/>).
/// </summary>
/// <param name="Count">Held-out images.</param>
/// <param name="ReconstructionError">Mean squared pixel error of the sigmoid reconstructions (pixels in [0, 1]).</param>
/// <param name="PixelAccuracy">Fraction of pixels whose reconstruction binarized at 0.5 equals the original binarized at 0.5.</param>
/// <param name="Perplexity">exp(entropy) of the code usage over all held-out grid cells (1 = one code, K = all equally).</param>
/// <param name="CodesUsed">Distinct codes chosen for the held-out images.</param>
/// <param name="VolumeFractionReadoutMae">
/// Mean absolute error of the VQ-VAE's volume fraction readout on the held-out images' quantized latents against their
/// volume fraction (pixels above 0.5); null without a readout.
/// </param>
/// <param name="VolumeFractionStd">Standard deviation of the held-out images' volume fraction: the readout's yardstick.</param>
/// <param name="Originals">Held-out images in split order (pixels x-major).</param>
/// <param name="Reconstructions">Their sigmoid reconstructions, same order.</param>
internal sealed record VqVaeHeldOutEvaluation(
    int Count, double ReconstructionError, double PixelAccuracy, double Perplexity, int CodesUsed,
    double? VolumeFractionReadoutMae, double VolumeFractionStd,
    IReadOnlyList<float[]> Originals, IReadOnlyList<float[]> Reconstructions)
{
    private const string ReconstructionColumn = "HeldOutReconstruction";

    /// <summary>Runs <paramref name="vqVae"/> and its decoder over <paramref name="heldOut"/> (Image column).</summary>
    public static VqVaeHeldOutEvaluation Of(MLContext mlContext, VqVaeTransformer vqVae, IDataView heldOut)
    {
        var encoded = vqVae.Transform(heldOut);
        using var decoder = mlContext.Inverse().VqVaeDecode(vqVae, ReconstructionColumn, device: vqVae.Device).Fit(encoded);
        var output = decoder.Transform(encoded);

        var originals = new List<float[]>();
        var reconstructions = new List<float[]>();
        var latents = new List<float>();
        var volumeFractions = new List<float>();
        var codeCounts = new long[vqVae.Architecture.CodebookSize];
        double squared = 0, matching = 0;
        long pixels = 0, cells = 0;
        var schema = output.Schema;
        using (var cursor = output.GetRowCursor([schema[vqVae.ImageColumnName], schema[vqVae.CodeIndicesColumnName], schema[ReconstructionColumn], schema[vqVae.LatentColumnName]]))
        {
            var latentGetter = cursor.GetGetter<VBuffer<float>>(schema[vqVae.LatentColumnName]);
            VBuffer<float> latent = default;
            var imageGetter = cursor.GetGetter<VBuffer<float>>(schema[vqVae.ImageColumnName]);
            var codeGetter = cursor.GetGetter<VBuffer<int>>(schema[vqVae.CodeIndicesColumnName]);
            var reconstructionGetter = cursor.GetGetter<VBuffer<float>>(schema[ReconstructionColumn]);
            VBuffer<float> image = default, reconstruction = default;
            VBuffer<int> codes = default;
            while (cursor.MoveNext())
            {
                imageGetter(ref image);
                reconstructionGetter(ref reconstruction);
                codeGetter(ref codes);
                latentGetter(ref latent);
                latents.AddRange(latent.DenseValues());
                var original = image.DenseValues().ToArray();
                var decoded = reconstruction.DenseValues().ToArray();
                for (int p = 0; p < original.Length; p++)
                {
                    double error = decoded[p] - original[p];
                    squared += error * error;
                    if (decoded[p] > 0.5f == original[p] > 0.5f) matching++;
                }
                pixels += original.Length;
                volumeFractions.Add((float)original.Count(p => p > 0.5f) / original.Length);
                foreach (int code in codes.DenseValues())
                {
                    codeCounts[code]++;
                    cells++;
                }
                originals.Add(original);
                reconstructions.Add(decoded);
            }
        }
        double entropy = 0;
        foreach (long n in codeCounts.Where(n => n > 0))
        {
            double p = (double)n / cells;
            entropy -= p * Math.Log(p);
        }
        double fractionStd = LabelVarianceDiagnostic.StandardDeviation(volumeFractions.ConvertAll(v => (double)v));
        return new VqVaeHeldOutEvaluation(originals.Count, squared / Math.Max(1, pixels), matching / Math.Max(1, pixels),
            Math.Exp(entropy), codeCounts.Count(n => n > 0), ReadoutError(vqVae.VolumeFractionReadout, latents, volumeFractions), fractionStd,
            originals, reconstructions);
    }

    private static double? ReadoutError(VolumeFractionReadout? readout, List<float> latents, List<float> volumeFractions)
    {
        if (readout is null || volumeFractions.Count == 0) return null;
        using var scope = torch.NewDisposeScope();
        var rows = torch.tensor(latents.ToArray(), [volumeFractions.Count, readout.LatentLength]);
        var truth = torch.tensor(volumeFractions.ToArray());
        return readout.Read(rows).sub(truth).abs().mean().item<float>();
    }
}
