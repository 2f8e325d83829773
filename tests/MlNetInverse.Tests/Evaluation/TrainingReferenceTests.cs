using MlNetInverse.Physics.Datasets;
using MlNetInverse.Physics.Microstructures;
using MlNetInverse.Workflows.Evaluation;

namespace MlNetInverse.Tests.Evaluation;

/// <summary>
/// The training data as the yardstick: only training rows near the target count for diversity and morphology, held-out
/// rows give the novelty of fresh samples, and a design copied from a training map is flagged.
/// </summary>
public sealed class TrainingReferenceTests
{
    private static readonly GaussianRandomFieldGenerator Generator = new(32);

    private static MicrostructureRecord Record(long id, double absorption, double volumeFraction) => new(id,
        new GrfParameters(SpectralDensityFamily.Ring, 3, 0.8, volumeFraction), id, absorption,
        Generator.Generate(new GrfParameters(SpectralDensityFamily.Ring, 3, 0.8, volumeFraction), id), [absorption]);

    // Rows 0-3 train (three near 0.6, one far away), rows 4-5 are held out (one near 0.6).
    private static readonly MicrostructureRecord[] Records =
        [Record(0, 0.600, 0.5), Record(1, 0.605, 0.4), Record(2, 0.595, 0.45), Record(3, 0.700, 0.8), Record(4, 0.602, 0.5), Record(5, 0.3, 0.2)];

    private static readonly EvaluationSplit Split = new([0, 1, 2, 3], [4, 5], 0, 1.0 / 3, "test", "test");

    [Fact]
    public void GivenATarget_WhenTheReferenceIsTaken_ThenOnlyTrainingRowsWithinTheWindowCount()
    {
        var reference = new TrainingReference(Records, Split).At(0.6);
        var near = new[] { Records[0], Records[1], Records[2] };

        Assert.Equal(3, reference.Count);
        Assert.Equal(MapSetMetrics.MeanPairwiseDistance(near.Select(r => BinaryMap.Of(r.Map)).ToArray()), reference.Diversity, 12);
        Assert.Equal(near.Average(r => r.Map.VolumeFraction), reference.Morphology!.VolumeFractionMean, 12);
        Assert.Equal(1, reference.HeldOutCount);
        Assert.Equal(MapSetMetrics.NearestDistances([BinaryMap.Of(Records[4].Map)], Records[..4].Select(r => BinaryMap.Of(r.Map)).ToArray())[0], reference.HeldOutNearestMin, 12);
    }

    [Fact]
    public void GivenDesignsThatCopyATrainingMap_WhenMeasured_ThenTheCopyIsFlaggedAndTheFreshDesignIsNot()
    {
        var training = new TrainingReference(Records, Split);
        var fresh = Generator.Generate(new GrfParameters(SpectralDensityFamily.Ring, 3, 0.8, 0.5), 99);
        var cell = new CellResult("proposed", 0.6, [Records[1].Map, fresh], [0.6, 0.6], [0.6, 0.6], 0, 2, null, 0, 0, null);

        var metrics = CellMetrics.Of(cell, training.At(0.6), training.Packed);

        Assert.Equal(1, metrics.Copies);
        Assert.Equal(0, metrics.NearestMin);
        Assert.Equal(2, metrics.Distinct);
        Assert.True(metrics.NearestMean > MapSetMetrics.CopyThreshold / 2);
    }

    [Fact]
    public void GivenTheTrainingRows_WhenExportedForTheBaselines_ThenImagesAndLabelsAreTheTrainingRowsOnly()
    {
        var (images, labels) = new TrainingReference(Records, Split).Arrays();

        Assert.Equal([0.600f, 0.605f, 0.595f, 0.700f], labels);
        Assert.Equal(4 * 32 * 32, images.Length);
        Assert.Equal(Records[3].Map.ToArray(), images[(3 * 1024)..]);
    }
}
