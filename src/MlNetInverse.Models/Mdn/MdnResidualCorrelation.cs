using MlNetInverse.Models.Training;
using MlNetInverse.Physics.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetInverse.Models.Mdn;

/// <summary>
/// The noise correlation of an MDN that draws correlated noise (<see cref="MdnOptions.CorrelatedNoise"/>): each training
/// pair's latent is standardised by its most responsible component, (z - mu_k) / sigma_k, and the correlation of those
/// residuals over the training split, shrunk a little towards the identity, is factored as C C^T (Cholesky). Drawing C e
/// instead of e keeps every value's spread (unit diagonal) and restores how values move together in the data: on the
/// main job's latents (8 x 8 cells x 8 code dimensions) the diagonal mixture leaves 81-94 % of each value's variance to
/// independent noise, which the codebook snaps to cell-by-cell speckle.
/// </summary>
public static class MdnResidualCorrelation
{
    /// <summary>
    /// Weight of the identity in the factored matrix: 512 x 512 correlations from about 4,000 pairs are noisy and some
    /// code dimensions of one cell move together almost exactly (|r| up to 0.997), which leaves the plain estimate
    /// close to singular.
    /// </summary>
    public const double Shrinkage = 0.05;

    private const int BatchSize = 256;

    /// <summary>
    /// The factor C [L, L] (float32, lower-triangular) from normalised absorption <paramref name="x"/> [N, 1] and latents
    /// <paramref name="y"/> [N, L] at <paramref name="rows"/> (the training split), through <paramref name="model"/>.
    /// </summary>
    /// <exception cref="ArgumentException">Fewer than two rows.</exception>
    public static Tensor Fit(MixtureDensityNetwork model, Tensor x, Tensor y, ReadOnlySpan<int> rows)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var residuals = Residuals(model, x, y, rows);
        var centred = residuals.sub(residuals.mean([0], keepdim: true));
        var covariance = centred.t().matmul(centred).div(HeldScalar.Of(rows.Length - 1));
        return Factor(covariance).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Factors [G, L, L] for <paramref name="bands"/> bands of absorption and their centres (raw absorption, G values spread
    /// evenly from the smallest to the largest training label): band g's correlation weighs each training pair's
    /// residual by exp(-(a - centre_g)^2 / (2 h^2)), a its raw label and h the centres' spacing, so each band holds the
    /// structure of the data near its centre and neighbouring bands overlap. Pairs weighing under 1e-4 are left out; a
    /// band in a gap of the labels, with fewer than two pairs left, weighs them relative to its nearest pair instead
    /// and keeps at least its two nearest pairs (shrunk towards the identity like every band).
    /// </summary>
    /// <exception cref="ArgumentException">Fewer than two rows or all labels equal.</exception>
    /// <exception cref="ArgumentOutOfRangeException">Fewer than two bands.</exception>
    public static (Tensor Factors, double[] Centres) FitBands(MixtureDensityNetwork model, Tensor x, Tensor y, ReadOnlySpan<int> rows, int bands)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bands, 2);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var residuals = Residuals(model, x, y, rows);
        var normalization = model.Normalization;
        var labels = x.index_select(0, TrainingData.IndexTensor(rows, x.device)).reshape(-1).to(ScalarType.Float64).cpu().data<double>().ToArray()
            .Select(v => v * normalization.AbsorptionStandardDeviation + normalization.AbsorptionMean).ToArray();
        double low = labels.Min(), high = labels.Max(), spacing = (high - low) / (bands - 1);
        if (!(spacing > 0)) throw new ArgumentException("Noise bands need training labels that are not all equal.", nameof(rows));
        // Float32 centres, so every engine (the ONNX graph holds float32) picks the same band for a condition.
        var centres = Enumerable.Range(0, bands).Select(g => (double)(float)(low + g * spacing)).ToArray();
        var factors = new List<Tensor>();
        foreach (double centre in centres)
        {
            var weights = labels.Select(a => Math.Exp(-(a - centre) * (a - centre) / (2 * spacing * spacing))).ToArray();
            var near = Enumerable.Range(0, labels.Length).Where(i => weights[i] >= 1e-4).Select(i => (long)i).ToArray();
            if (near.Length < 2)
            {
                // A band in a gap of the labels: weights relative to its nearest pair's, and at least its two nearest pairs.
                double nearest = labels.Min(a => Math.Abs(a - centre));
                weights = labels.Select(a => Math.Exp((nearest * nearest - (a - centre) * (a - centre)) / (2 * spacing * spacing))).ToArray();
                var byDistance = Enumerable.Range(0, labels.Length).OrderBy(i => Math.Abs(labels[i] - centre)).ThenBy(i => i).ToArray();
                near = byDistance.Where((i, rank) => rank < 2 || weights[i] >= 1e-4).Select(i => (long)i).Order().ToArray();
            }
            var w = tensor(near.Select(i => weights[i]).ToArray(), dtype: ScalarType.Float64).view(-1, 1);
            var local = residuals.index_select(0, tensor(near));
            var total = w.sum();
            var centred = local.sub(local.mul(w).sum(0, keepdim: true).div(total));
            factors.Add(Factor(centred.mul(w).t().matmul(centred).div(total)));
        }
        return (stack(factors).MoveToOuterDisposeScope(), centres);
    }

    /// <summary>Each training pair's latent standardised by its most responsible component: [rows, L] float64 on the CPU.</summary>
    private static Tensor Residuals(MixtureDensityNetwork model, Tensor x, Tensor y, ReadOnlySpan<int> rows)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (rows.Length < 2) throw new ArgumentException($"The noise correlation needs at least 2 training pairs; got {rows.Length}.", nameof(rows));
        long l = model.Options.LatentDimension;
        var batches = new List<Tensor>();
        for (int start = 0; start < rows.Length; start += BatchSize)
        {
            int n = Math.Min(BatchSize, rows.Length - start);
            var indices = TrainingData.IndexTensor(rows.Slice(start, n), x.device);
            var mixture = model.call(x.index_select(0, indices));
            var (standardised, weightedLog) = MdnLoss.Components(mixture, y.index_select(0, indices));
            var responsible = weightedLog.argmax(1).view(n, 1, 1).expand(n, 1, l);
            batches.Add(standardised.gather(1, responsible).squeeze(1).to(ScalarType.Float64).cpu());
        }
        return cat(batches, 0);
    }

    /// <summary>The covariance as a correlation, shrunk towards the identity and factored (float32, lower-triangular).</summary>
    private static Tensor Factor(Tensor covariance)
    {
        long l = covariance.shape[0];
        var deviation = covariance.diagonal().clamp_min(HeldScalar.Of(1e-12)).sqrt();
        var correlation = covariance.div(deviation.unsqueeze(1)).div(deviation.unsqueeze(0));
        var shrunk = correlation.mul(HeldScalar.Of(1 - Shrinkage)).Plus(eye(l, dtype: ScalarType.Float64).mul(HeldScalar.Of(Shrinkage)));
        return linalg.cholesky(shrunk).to(ScalarType.Float32);
    }
}
