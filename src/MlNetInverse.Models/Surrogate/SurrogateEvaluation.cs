using MlNetInverse.Models.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetInverse.Models.Surrogate;

/// <summary>Errors of a surrogate's predictions on one set of labelled images.</summary>
/// <param name="Count">Number of images.</param>
/// <param name="MeanAbsoluteError">Mean |prediction - label| (absorption units).</param>
/// <param name="RootMeanSquaredError">sqrt(mean (prediction - label)^2) (absorption units).</param>
/// <param name="RSquared">1 - SS_res / SS_tot, with SS_tot around the mean label of this set.</param>
public sealed record SurrogateEvaluation(int Count, double MeanAbsoluteError, double RootMeanSquaredError, double RSquared)
{
    /// <summary>Predicts the absorption of every image (eval mode, no gradient, in batches).</summary>
    /// <param name="model">The surrogate.</param>
    /// <param name="images">N * S * S pixel values in [0, 1].</param>
    /// <param name="batchSize">Images per forward pass.</param>
    public static float[] Predict(AbsorptionSurrogateModel model, float[] images, int batchSize = 256)
    {
        ArgumentNullException.ThrowIfNull(model);
        int size = model.Options.ImageSize;
        int count = TrainingData.CountImages(images, size, nameof(images));
        using var data = TrainingData.ImageTensor(images, count, size, model.Device);
        return Predict(model, data, Enumerable.Range(0, count).ToArray(), batchSize);
    }

    /// <summary>Evaluates <paramref name="model"/> on labelled images.</summary>
    /// <exception cref="ArgumentException">Bad images or labels.</exception>
    public static SurrogateEvaluation Of(AbsorptionSurrogateModel model, float[] images, float[] absorption, int batchSize = 256)
    {
        var predictions = Predict(model, images, batchSize);
        TrainingData.CheckLabels(absorption, predictions.Length, nameof(absorption));
        return FromPredictions(predictions, absorption);
    }

    internal static float[] Predict(AbsorptionSurrogateModel model, Tensor images, int[] indices, int batchSize)
    {
        bool wasTraining = model.training;
        model.eval();
        var predictions = new float[indices.Length];
        try
        {
            using var noGrad = no_grad();
            for (int start = 0; start < indices.Length; start += batchSize)
            {
                int n = Math.Min(batchSize, indices.Length - start);
                using var scope = NewDisposeScope();
                var batch = images.index_select(0, TrainingData.IndexTensor(indices.AsSpan(start, n), images.device));
                model.call(batch).cpu().data<float>().ToArray().CopyTo(predictions, start);
            }
        }
        finally
        {
            model.train(wasTraining);
        }
        return predictions;
    }

    internal static SurrogateEvaluation FromPredictions(IReadOnlyList<float> predictions, IReadOnlyList<float> labels)
    {
        int n = labels.Count;
        double mean = 0;
        for (int i = 0; i < n; i++) mean += labels[i];
        mean /= Math.Max(1, n);
        double absolute = 0, squared = 0, total = 0;
        for (int i = 0; i < n; i++)
        {
            double error = predictions[i] - (double)labels[i];
            absolute += Math.Abs(error);
            squared += error * error;
            total += (labels[i] - mean) * (labels[i] - mean);
        }
        double rSquared = total > 0 ? 1 - squared / total : double.NaN;
        return new SurrogateEvaluation(n, absolute / Math.Max(1, n), Math.Sqrt(squared / Math.Max(1, n)), rSquared);
    }
}
