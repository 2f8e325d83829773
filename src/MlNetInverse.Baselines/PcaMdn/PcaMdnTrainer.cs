using System.Diagnostics;
using MlNetInverse.Baselines.Shared;
using MlNetInverse.Models.Mdn;
using MlNetInverse.Models.Training;
using MlNetInverse.Physics.Runtime;
using static TorchSharp.torch;

namespace MlNetInverse.Baselines.PcaMdn;

/// <summary>
/// Trains the PCA-MDN baseline: PCA of the training images (torch.linalg.svd of the centred N x P matrix, k components
/// kept), then an MDN (the project's <see cref="MdnTrainer"/>) from absorption to each image's k coefficients.
/// </summary>
public sealed class PcaMdnTrainer
{
    /// <summary>Creates a trainer.</summary>
    /// <exception cref="ArgumentException">An option is invalid; the message names it.</exception>
    public PcaMdnTrainer(PcaMdnOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
    }

    /// <summary>The settings.</summary>
    public PcaMdnOptions Options { get; }

    /// <summary>Trains on <paramref name="images"/> (N * S * S pixels in [0, 1]) labelled with <paramref name="absorption"/> (N values).</summary>
    /// <exception cref="ArgumentException">Bad images or labels, or fewer images than components.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public PcaMdnTrainingResult Train(
        float[] images, float[] absorption, IProgress<BaselineTrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        int size = Options.ImageSize, pixels = size * size;
        int count = BaselineArguments.CheckTrainingData(images, absorption, size);
        if (count < Options.Components)
            throw new ArgumentException($"PCA with {Options.Components} components needs at least that many images; got {count}.", nameof(images));
        cancellationToken.ThrowIfCancellationRequested();
        using var threads = TorchThreadScope.UnlessZero(Options.Threads);

        var watch = Stopwatch.StartNew();
        var basis = PrincipalComponentBasis.Fit(images, pixels, Options.Components, Options.Device);
        try
        {
            double error = basis.ReconstructionError(images);
            double explained = ExplainedFraction(basis, error);
            double pcaSeconds = watch.Elapsed.TotalSeconds;
            progress?.Report(new BaselineTrainingProgress("pca", 1, 1, error, double.NaN, pcaSeconds));

            float[] coefficients;
            using (var data = tensor(images, [count, pixels]))
            using (var projected = basis.Project(data))
            using (var cpu = projected.cpu().contiguous())
                coefficients = cpu.data<float>().ToArray();

            watch.Restart();
            var mdn = Options.TrainMdn(absorption, coefficients, progress, cancellationToken);
            var method = new PcaMdnMethod(Options, basis, mdn.Model);
            return new PcaMdnTrainingResult(method, error, explained, mdn.HeldOutNll, pcaSeconds, watch.Elapsed.TotalSeconds);
        }
        catch
        {
            basis.Dispose();
            throw;
        }
    }

    /// <summary>Kept variance / total variance, with total = kept + residual mean squared error per pixel.</summary>
    private static double ExplainedFraction(PrincipalComponentBasis basis, double residualPerPixel)
    {
        double kept = basis.ExplainedVariance.Sum() / basis.Pixels;
        return kept / (kept + residualPerPixel);
    }
}
