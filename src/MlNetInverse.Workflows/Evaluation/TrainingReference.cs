using System.Text.Json.Nodes;
using MlNetInverse.Physics.Datasets;
using MlNetInverse.Physics.Microstructures;

namespace MlNetInverse.Workflows.Evaluation;

/// <summary>
/// The training split as the yardstick for generated maps: every training map packed for nearest-neighbour search, and
/// per target the training maps whose label lies within <see cref="Window"/> of it (their diversity, volume fraction and
/// spectrum), plus held-out maps near the target as the novelty of a fresh sample of the data generator.
/// </summary>
internal sealed class TrainingReference
{
    /// <summary>Half-width of the absorption window around a target (absorption units): 0.01.</summary>
    public const double Window = 0.01;

    private readonly IReadOnlyList<MicrostructureRecord> _training;
    private readonly IReadOnlyList<MicrostructureRecord> _heldOut;

    public TrainingReference(IReadOnlyList<MicrostructureRecord> records, EvaluationSplit split)
    {
        _training = split.Training.Select(i => records[i]).ToArray();
        _heldOut = split.HeldOut.Select(i => records[i]).ToArray();
        Packed = _training.Select(r => BinaryMap.Of(r.Map)).ToArray();
    }

    /// <summary>The training rows (every method trained on these only).</summary>
    public IReadOnlyList<MicrostructureRecord> TrainingRecords => _training;

    /// <summary>The held-out rows (never trained on: fresh samples of the data generator).</summary>
    public IReadOnlyList<MicrostructureRecord> HeldOutRecords => _heldOut;

    /// <summary>Every training map, packed.</summary>
    public IReadOnlyList<BinaryMap> Packed { get; }

    /// <summary>Training images and absorption labels as the baselines' trainers take them (N*S*S pixels, N labels).</summary>
    public (float[] Images, float[] Absorption) Arrays()
    {
        int pixels = _training[0].Map.Pixels.Length;
        var images = new float[_training.Count * pixels];
        var labels = new float[_training.Count];
        for (int i = 0; i < _training.Count; i++)
        {
            _training[i].Map.Pixels.CopyTo(images.AsSpan(i * pixels, pixels));
            labels[i] = (float)_training[i].Absorption;
        }
        return (images, labels);
    }

    /// <summary>Each training map's volume fraction (share of material-A pixels) and absorption label, for the controls' fit.</summary>
    public (double[] VolumeFractions, double[] Labels) VolumeFractionsAndLabels() =>
        (_training.Select(r => r.Map.VolumeFraction).ToArray(), _training.Select(r => r.Absorption).ToArray());

    /// <summary>The reference numbers at <paramref name="target"/>.</summary>
    public TargetReference At(double target)
    {
        var near = _training.Where(r => Math.Abs(r.Absorption - target) <= Window).ToArray();
        var heldOut = _heldOut.Where(r => Math.Abs(r.Absorption - target) <= Window).Select(r => BinaryMap.Of(r.Map)).ToArray();
        var nearest = MapSetMetrics.NearestDistances(heldOut, Packed);
        return new TargetReference(target, near.Length,
            MapSetMetrics.MeanPairwiseDistance(near.Select(r => BinaryMap.Of(r.Map)).ToArray()),
            near.Length == 0 ? null : Morphology.Of(near.Select(r => r.Map).ToArray()),
            heldOut.Length, nearest.Length == 0 ? double.NaN : nearest.Min(), nearest.Length == 0 ? double.NaN : nearest.Average());
    }
}
