using System.Text.Json.Nodes;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetInverse.ML;
using MlNetInverse.ML.Data;
using MlNetInverse.Physics.Datasets;
using MlNetInverse.Workflows.Data;
using static MlNetInverse.Physics.Formatting.InvariantText;

namespace MlNetInverse.Workflows.Evaluation;

/// <summary>
/// Which dataset rows trained what. <c>train --pipeline</c> splits the dataset once with <see cref="HeldOutSplit"/>
/// (its seed and held-out share); every stage of the model trained on the training rows only. The evaluation rebuilds
/// that split from the metrics.json written beside the model (or the quick pipeline's seed 0 and share 0.1 when there is
/// none), checks it against the ids and labels in the model's latents.parquet when present, and trains the baselines on the same
/// training rows; the held-out rows were never trained on by any method.
/// </summary>
/// <param name="Training">Indices of the training rows (ascending).</param>
/// <param name="HeldOut">Indices of the held-out rows (ascending).</param>
/// <param name="Seed">Seed of the split (the training pipeline's seed, which also seeded every model's weights).</param>
/// <param name="HeldOutFraction">Share of the rows held out.</param>
/// <param name="Source">Where seed and share came from.</param>
/// <param name="Check">What confirmed the split (or why nothing could).</param>
internal sealed record EvaluationSplit(int[] Training, int[] HeldOut, long Seed, double HeldOutFraction, string Source, string Check)
{
    /// <summary>The quick pipeline's split seed, used when the model has no metrics.json beside it.</summary>
    public const long DefaultSeed = 0;

    /// <summary>The quick pipeline's held-out share, used when the model has no metrics.json beside it.</summary>
    public const double DefaultHeldOutFraction = 0.1;

    /// <summary>Rebuilds the split of the dataset's rows for the model at <paramref name="modelPath"/>.</summary>
    /// <exception cref="InvalidDataException">The model's latents.parquet names other training rows: the dataset is not the model's.</exception>
    /// <param name="modelPath">The model zip.</param>
    /// <param name="dataPath">The dataset file (for messages).</param>
    /// <param name="ids">The dataset's ids in row order.</param>
    /// <param name="labels">The dataset's absorption labels in row order, as float (the latent file stores float).</param>
    public static EvaluationSplit For(string modelPath, string dataPath, IReadOnlyList<long> ids, IReadOnlyList<float> labels)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(modelPath))!;
        long seed = DefaultSeed;
        double fraction = DefaultHeldOutFraction;
        string source = "no metrics.json beside the model: the quick pipeline's split (seed 0, 10 % held out) is assumed";
        var metricsPath = Path.Combine(folder, "metrics.json");
        if (File.Exists(metricsPath) && JsonNode.Parse(File.ReadAllText(metricsPath)) is JsonObject metrics
            && metrics["pipeline"]?["seed"] is { } seedNode && metrics["dataset"]?["held_out_fraction"] is { } fractionNode)
        {
            seed = seedNode.GetValue<long>();
            fraction = fractionNode.GetValue<double>();
            source = Text($"{metricsPath} (pipeline seed {seed}, held-out share {fraction:0.###})");
        }
        var split = HeldOutSplit.Of(ids.Count, fraction, seed);
        string check = CheckAgainstLatents(Path.Combine(folder, "latents.parquet"), dataPath, ids, labels, split.Training);
        return new EvaluationSplit(split.Training, split.HeldOut, seed, fraction, source, check);
    }

    /// <summary>
    /// Reads the dataset at <paramref name="dataPath"/> and rebuilds the split of the model at <paramref name="modelPath"/>
    /// (<see cref="For"/>).
    /// </summary>
    /// <exception cref="InvalidDataException">The dataset's maps are not <paramref name="imageSize"/> pixels wide, or it is not the model's.</exception>
    public static async Task<(MicrostructureDataset Dataset, EvaluationSplit Split)> ReadWithDatasetAsync(string modelPath, string dataPath, int imageSize,
        CancellationToken cancellationToken = default)
    {
        var dataset = await MicrostructureDatasetFile.ReadAsync(dataPath, cancellationToken).ConfigureAwait(false);
        if (dataset.Generation.Size != imageSize)
            throw new InvalidDataException($"--data '{dataPath}' holds {dataset.Generation.Size}x{dataset.Generation.Size} maps but the model makes {imageSize}x{imageSize} maps; pass the model's dataset.");
        return (dataset, For(modelPath, dataPath, dataset.Records.Select(r => r.Id).ToArray(), dataset.Records.Select(r => (float)r.Absorption).ToArray()));
    }

    /// <summary>As JSON for the report.</summary>
    public JsonObject ToJson() => new()
    {
        ["training_rows"] = Training.Length,
        ["held_out_rows"] = HeldOut.Length,
        ["split_seed"] = Seed,
        ["held_out_fraction"] = HeldOutFraction,
        ["source"] = Source,
        ["check"] = Check,
    };

    private static string CheckAgainstLatents(string latentsPath, string dataPath, IReadOnlyList<long> ids, IReadOnlyList<float> labels, int[] training)
    {
        if (!File.Exists(latentsPath)) return "not checked: no latents.parquet beside the model";
        var view = new MLContext(seed: 0).Inverse().LoadLatents(latentsPath);
        if (view.Schema.GetColumnOrNull(MicrostructureColumns.Id) is null) return "not checked: the model's latents.parquet has no Id column";
        var latentIds = view.GetColumn<long>(MicrostructureColumns.Id).ToArray();
        var latentLabels = view.GetColumn<float>(MicrostructureColumns.Absorption).ToArray();
        var splitLabels = training.ToDictionary(i => ids[i], i => labels[i]);
        int missing = latentIds.Count(id => !splitLabels.ContainsKey(id));
        int relabelled = latentIds.Where((id, k) => splitLabels.TryGetValue(id, out var label) && label != latentLabels[k]).Count();
        if (latentIds.Length != splitLabels.Count || missing > 0 || relabelled > 0)
            throw new InvalidDataException(Text(
                $"--data '{dataPath}' is not the dataset (or split) the model was trained on: the model's latents.parquet holds {latentIds.Length} training rows, the rebuilt split {splitLabels.Count}; {missing} of the model's ids are not in it and {relabelled} carry other absorption labels. Pass the model's dataset with --data."));
        return Text($"confirmed: the {latentIds.Length} training ids and their absorption labels equal those in the model's latents.parquet (the rows its VQ-VAE and MDN trained on)");
    }
}
