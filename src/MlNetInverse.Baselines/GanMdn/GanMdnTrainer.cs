using System.Diagnostics;
using MlNetInverse.Baselines.Shared;
using MlNetInverse.Models.Mdn;
using MlNetInverse.Models.Training;
using MlNetInverse.Physics.Microstructures;
using MlNetInverse.Physics.Runtime;
using static TorchSharp.torch;

namespace MlNetInverse.Baselines.GanMdn;

/// <summary>
/// Trains the GAN-MDN baseline in three stages: a DCGAN on the training images (<see cref="GanTrainer"/>); then
/// <see cref="GanMdnOptions.LabelledSamples"/> latents z ~ N(0, I) decoded by the generator, binarized and labelled
/// by an <see cref="IAbsorptionEvaluator"/> (the surrogate, or RCWA); then an MDN absorption -> z on those pairs
/// (the project's <see cref="MdnTrainer"/>).
/// </summary>
/// <remarks>
/// The dataset's own labels are not needed: the MDN learns from (absorption of G(z), z) pairs, because only for the
/// generator's own images is the latent known. The labels are those of the binarized maps, the structures generation
/// returns.
/// </remarks>
public sealed class GanMdnTrainer
{
    private const int LabelBatchSize = 256;

    /// <summary>Creates a trainer.</summary>
    /// <exception cref="ArgumentException">An option is invalid; the message names it.</exception>
    public GanMdnTrainer(GanMdnOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
    }

    /// <summary>The settings.</summary>
    public GanMdnOptions Options { get; }

    /// <summary>Trains on <paramref name="images"/> (N * S * S pixels in [0, 1]), labelling generated samples with <paramref name="absorption"/>.</summary>
    /// <exception cref="ArgumentException">Bad images or fewer than 2.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public GanMdnTrainingResult Train(
        float[] images, IAbsorptionEvaluator absorption, IProgress<BaselineTrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(absorption);
        var gan = Options.Gan;
        int count = TrainingData.CountImages(images, gan.ImageSize, nameof(images));
        if (count < 2) throw new ArgumentException($"GAN-MDN training needs at least 2 images; got {count}.", nameof(images));
        using var threads = TorchThreadScope.UnlessZero(Options.Threads);

        var watch = Stopwatch.StartNew();
        var ganProgress = progress is null ? null
            : new InlineProgress<GanEpochMetrics>(m => progress.Report(new BaselineTrainingProgress("gan", m.Epoch, gan.Epochs, m.GeneratorLoss, double.NaN, m.Seconds)));
        var (generator, history) = new GanTrainer(gan).Train(images, Options.Seed, Options.Device, ganProgress, cancellationToken);
        double ganSeconds = watch.Elapsed.TotalSeconds;
        try
        {
            watch.Restart();
            var (labels, latents) = LabelGeneratedSamples(generator, absorption, progress, cancellationToken);
            double labelSeconds = watch.Elapsed.TotalSeconds;
            double mean = labels.Average(v => (double)v);
            double deviation = Math.Sqrt(labels.Average(v => (v - mean) * (v - mean)));

            watch.Restart();
            var mdn = Options.TrainMdn(labels, latents, progress, cancellationToken);
            var method = new GanMdnMethod(Options, generator, mdn.Model);
            return new GanMdnTrainingResult(method, history, mean, deviation, mdn.HeldOutNll, ganSeconds, labelSeconds, watch.Elapsed.TotalSeconds);
        }
        catch
        {
            generator.Dispose();
            throw;
        }
    }

    /// <summary>Decodes seeded latents in batches, binarizes and labels the maps: (labels [M], latents [M * L]).</summary>
    private (float[] Labels, float[] Latents) LabelGeneratedSamples(
        GanGenerator generator, IAbsorptionEvaluator absorption, IProgress<BaselineTrainingProgress>? progress, CancellationToken cancellationToken)
    {
        int total = Options.LabelledSamples, l = Options.Gan.LatentDimension, batches = (total + LabelBatchSize - 1) / LabelBatchSize;
        var latents = BaselineRandom.StandardNormals(total, l, Options.Seed, BaselineRandom.LabelLatents);
        var labels = new float[total];
        for (int start = 0, batch = 0; start < total; start += LabelBatchSize, batch++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batchWatch = Stopwatch.StartNew();
            int n = Math.Min(LabelBatchSize, total - start);
            IReadOnlyList<Microstructure> maps;
            using (var noGrad = no_grad())
            using (var scope = NewDisposeScope())
            {
                var z = tensor(latents.AsSpan(start * l, n * l).ToArray(), [n, l]).to(generator.Device);
                maps = MicrostructureBinarizer.Binarize(generator.call(z), Options.Gan.ImageSize, Options.Binarization);
            }
            var values = absorption.Evaluate(maps, cancellationToken);
            for (int i = 0; i < n; i++) labels[start + i] = (float)values[i];
            progress?.Report(new BaselineTrainingProgress("labels", batch + 1, batches, values.Average(), double.NaN, batchWatch.Elapsed.TotalSeconds));
        }
        return (labels, latents);
    }
}
