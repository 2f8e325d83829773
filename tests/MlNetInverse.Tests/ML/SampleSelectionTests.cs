using MlNetInverse.Models.Surrogate;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetInverse.ML;
using MlNetInverse.ML.Generation;
using MlNetInverse.Tests.Cli;

namespace MlNetInverse.Tests.ML;

/// <summary>The surrogate screen after decoding, on hand-made candidates (4 candidates of 2-pixel "images" per row).</summary>
public sealed class SampleSelectionTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly MLContext _mlContext = new(seed: 1);

    public void Dispose() => _folder.Dispose();

    private static readonly Candidates[] Rows =
    [
        new() { Absorption = 0.6f, GeneratedImages = [0, 0, 1, 1, 2, 2, 3, 3], PredictedAbsorption = [0.5f, 0.61f, 0.7f, 0.59f] },
        new() { Absorption = 0.5f, GeneratedImages = [0, 0, 1, 1, 2, 2, 3, 3], PredictedAbsorption = [0.5f, float.NaN, 0.5f, 0.2f] },
    ];

    [Fact]
    public void GivenFourCandidates_WhenTwoAreKept_ThenTheClosestToTheTargetComeFirstWithTiesInDrawOrder()
    {
        var data = _mlContext.Data.LoadFromEnumerable(Rows);

        var output = _mlContext.Inverse().SelectClosestSamples(keep: 2).Fit(data).Transform(data);

        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 4), output.Schema[GenerationColumns.GeneratedImages].Type);
        Assert.Equal([[1f, 1, 3, 3], [0f, 0, 2, 2]], output.GetColumn<float[]>(GenerationColumns.GeneratedImages));
        Assert.Equal([[0.61f, 0.59f], [0.5f, 0.5f]], output.GetColumn<float[]>(GenerationColumns.PredictedAbsorption));
    }

    [Fact]
    public void GivenTheFittedSelection_WhenSavedAndLoaded_ThenItSelectsTheSame()
    {
        var data = _mlContext.Data.LoadFromEnumerable(Rows);
        var selection = _mlContext.Inverse().SelectClosestSamples(keep: 3).Fit(data);
        var path = _folder.File("selection.zip");

        _mlContext.Model.Save(selection, data.Schema, path);
        var loaded = new MLContext().Model.Load(path, out _);

        Assert.Equal(selection.Transform(data).GetColumn<float[]>(GenerationColumns.GeneratedImages), loaded.Transform(data).GetColumn<float[]>(GenerationColumns.GeneratedImages));
        Assert.Equal(3, SampleSelectionTransformer.FindIn(loaded)!.Keep);
    }

    [Fact]
    public void GivenTwoVolumeFractionStrata_WhenSavedAndLoaded_ThenEachHalfOfTheSamplesGivesItsClosestAndTheStrataSurvive()
    {
        // The images' means (their volume fractions) order the samples 0 < 1 < 2 < 3; the two nearest the target are both
        // in the lower half, so within two strata the upper half gives its nearest, sample 2.
        Candidates[] rows = [new() { Absorption = 0.6f, GeneratedImages = [0, 0, 0.25f, 0.25f, 0.5f, 0.5f, 1, 1], PredictedAbsorption = [0.55f, 0.62f, 0.3f, 0.2f] }];
        var data = _mlContext.Data.LoadFromEnumerable(rows);
        var selection = _mlContext.Inverse().SelectClosestSamples(new SampleSelectionOptions { Keep = 2, VolumeFractionStrata = 2 }).Fit(data);
        var path = _folder.File("strata.zip");

        _mlContext.Model.Save(selection, data.Schema, path);
        var loaded = new MLContext().Model.Load(path, out _);

        Assert.Equal([[0.25f, 0.25f, 0.5f, 0.5f]], loaded.Transform(data).GetColumn<float[]>(GenerationColumns.GeneratedImages));
        Assert.Equal([[0.25f, 0.25f, 0f, 0]], _mlContext.Inverse().SelectClosestSamples(keep: 2).Fit(data).Transform(data).GetColumn<float[]>(GenerationColumns.GeneratedImages));
        Assert.Equal(2, SampleSelectionTransformer.FindIn(loaded)!.VolumeFractionStrata);
        Assert.Equal(1, _mlContext.Inverse().SelectClosestSamples(keep: 2).Fit(data).VolumeFractionStrata);
    }

    [Fact]
    public void GivenASoftScreen_WhenSavedAndLoaded_ThenItKeepsWhatTheWeightedDrawChoosesAndTheSoftnessAndSeedSurvive()
    {
        var predictions = Enumerable.Range(0, 40).Select(i => 0.3f + i / 100f).ToArray();
        var images = Enumerable.Range(0, 40).SelectMany(i => new[] { i / 40f, i / 40f }).ToArray();
        FortyCandidates[] rows = [new() { Absorption = 0.5f, GeneratedImages = images, PredictedAbsorption = predictions }];
        var data = _mlContext.Data.LoadFromEnumerable(rows);
        var selection = _mlContext.Inverse().SelectClosestSamples(new SampleSelectionOptions { Keep = 5, Softness = 0.2, Seed = 11 }).Fit(data);
        var path = _folder.File("soft.zip");

        _mlContext.Model.Save(selection, data.Schema, path);
        var loaded = SampleSelectionTransformer.FindIn(new MLContext().Model.Load(path, out _))!;

        var expected = SurrogateScreen.Weighted(predictions, 0.5f, 5, 0.2, 11).Select(i => predictions[i]).ToArray();
        Assert.Equal([expected], loaded.Transform(data).GetColumn<float[]>(GenerationColumns.PredictedAbsorption));
        Assert.NotEqual(SurrogateScreen.Closest(predictions, 0.5f, 5).Select(i => predictions[i]), expected);
        Assert.Equal((0.2, 11L), (loaded.Softness, loaded.Seed));
    }

    [Theory]
    [InlineData(1.5, 1, "[0, 1)")]
    [InlineData(0.1, 2, "not both")]
    public void GivenABadSoftness_WhenTheSelectionIsMade_ThenItIsRefusedSayingWhy(double softness, int strata, string reason)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => _mlContext.Inverse().SelectClosestSamples(new SampleSelectionOptions { Keep = 2, Softness = softness, VolumeFractionStrata = strata }));
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void GivenMoreToKeepThanCandidates_WhenFitted_ThenTheErrorSaysSo()
    {
        var data = _mlContext.Data.LoadFromEnumerable(Rows);

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => _mlContext.Inverse().SelectClosestSamples(keep: 5).Fit(data));

        Assert.Contains("Keep is 5 but column 'PredictedAbsorption' holds 4 samples per row", error.Message);
    }

    private sealed class FortyCandidates
    {
        public float Absorption { get; set; }

        [VectorType(80)]
        public float[] GeneratedImages { get; set; } = [];

        [VectorType(40)]
        public float[] PredictedAbsorption { get; set; } = [];
    }

    private sealed class Candidates
    {
        public float Absorption { get; set; }

        [VectorType(8)]
        public float[] GeneratedImages { get; set; } = [];

        [VectorType(4)]
        public float[] PredictedAbsorption { get; set; } = [];
    }
}
