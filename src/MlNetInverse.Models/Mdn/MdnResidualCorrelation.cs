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
        ArgumentNullException.ThrowIfNull(model);
        if (rows.Length < 2) throw new ArgumentException($"The noise correlation needs at least 2 training pairs; got {rows.Length}.", nameof(rows));
        long l = model.Options.LatentDimension;
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
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
        var residuals = cat(batches, 0);
        var centred = residuals.sub(residuals.mean([0], keepdim: true));
        var covariance = centred.t().matmul(centred).div(HeldScalar.Of(rows.Length - 1));
        var deviation = covariance.diagonal().clamp_min(HeldScalar.Of(1e-12)).sqrt();
        var correlation = covariance.div(deviation.unsqueeze(1)).div(deviation.unsqueeze(0));
        var shrunk = correlation.mul(HeldScalar.Of(1 - Shrinkage)).Plus(eye(l, dtype: ScalarType.Float64).mul(HeldScalar.Of(Shrinkage)));
        return linalg.cholesky(shrunk).to(ScalarType.Float32).MoveToOuterDisposeScope();
    }
}
