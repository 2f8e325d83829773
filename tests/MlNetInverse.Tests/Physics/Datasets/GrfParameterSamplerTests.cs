using MlNetInverse.Physics.Datasets;
using MlNetInverse.Physics.Microstructures;
using MlNetInverse.Physics.Randomness;

namespace MlNetInverse.Tests.Physics.Datasets;

public sealed class GrfParameterSamplerTests
{
    [Fact]
    public void GivenSeedZero_WhenSplitMix64Runs_ThenItMatchesThePublishedSequence()
    {
        // First outputs of Vigna's splitmix64.c started at state 0.
        Assert.Equal(0xE220A8397B1DCDAFUL, SplitMix64.Next(0, 1));
        Assert.Equal(0x6E789E6AA1B965F4UL, SplitMix64.Next(0, 2));
        Assert.Equal(0x06C45D188009454FUL, SplitMix64.Next(0, 3));
    }

    [Fact]
    public void GivenFormatVersion1_WhenSeed1Id0IsSampled_ThenItIsThePinnedSample()
    {
        // Datasets of format version 1 depend on this exact algorithm: changing it needs a new format version.
        var ranges = new GrfParameterRanges
        {
            MeanWavenumber = new ParameterRange(3, 10), StdWavenumber = new ParameterRange(0.5, 2.5), VolumeFraction = new ParameterRange(0.15, 0.85),
        };
        var sample = new GrfParameterSampler(1, ranges).Sample(0);
        Assert.Equal(new GrfParameters(SpectralDensityFamily.Ring, 4.877447025141702, 2.3569845371534024, 0.5936616055019563), sample.Parameters);
        Assert.Equal(7148039289964309075L, sample.Seed);
    }

    [Fact]
    public void GivenOneMasterSeed_WhenIdsAreSampledInAnyOrder_ThenEachIdGetsTheSameSample()
    {
        var forward = new GrfParameterSampler(42, new GrfParameterRanges());
        var backward = new GrfParameterSampler(42, new GrfParameterRanges());
        var ahead = Enumerable.Range(0, 200).Select(i => forward.Sample(i)).ToArray();
        var behind = Enumerable.Range(0, 200).Reverse().Select(i => backward.Sample(i)).Reverse().ToArray();
        Assert.Equal(ahead, behind);
        Assert.Equal(ahead[137], new GrfParameterSampler(42, new GrfParameterRanges()).Sample(137));
    }

    [Fact]
    public void GivenDefaultRanges_WhenManyIdsAreSampled_ThenValuesFillTheDocumentedRangesUniformly()
    {
        var ranges = new GrfParameterRanges();
        Assert.Equal((1.5, 4.0), (ranges.MeanWavenumber.Min, ranges.MeanWavenumber.Max));
        Assert.Equal((0.4, 1.2), (ranges.StdWavenumber.Min, ranges.StdWavenumber.Max));
        Assert.Equal((0.1, 0.9), (ranges.VolumeFraction.Min, ranges.VolumeFraction.Max));
        Assert.Equal(SpectralDensityFamily.Ring, ranges.Family);

        var sampler = new GrfParameterSampler(1, ranges);
        var samples = Enumerable.Range(0, 20_000).Select(i => sampler.Sample(i)).ToArray();
        Assert.All(samples, s =>
        {
            Assert.Equal(SpectralDensityFamily.Ring, s.Parameters.Family);
            Assert.True(ranges.MeanWavenumber.Contains(s.Parameters.MeanWavenumber));
            Assert.True(ranges.StdWavenumber.Contains(s.Parameters.StdWavenumber));
            Assert.True(ranges.VolumeFraction.Contains(s.Parameters.VolumeFraction));
            Assert.True(s.Seed >= 0);
        });
        // Uniform draws: the mean sits at the midpoint and each quarter of a range holds about a quarter of the draws.
        Assert.InRange(samples.Average(s => s.Parameters.MeanWavenumber), 2.75 - 0.02, 2.75 + 0.02);
        Assert.InRange(samples.Average(s => s.Parameters.VolumeFraction), 0.5 - 0.005, 0.5 + 0.005);
        Assert.InRange(samples.Count(s => s.Parameters.StdWavenumber < 0.6) / 20_000.0, 0.24, 0.26);
        Assert.Equal(samples.Length, samples.Select(s => s.Seed).Distinct().Count());
    }

    [Fact]
    public void GivenTwoMasterSeeds_WhenTheSameIdIsSampled_ThenParametersAndGrfSeedsDiffer()
    {
        var a = new GrfParameterSampler(1, new GrfParameterRanges());
        var b = new GrfParameterSampler(2, new GrfParameterRanges());
        for (int id = 0; id < 50; id++)
        {
            Assert.NotEqual(a.Sample(id).Seed, b.Sample(id).Seed);
            Assert.NotEqual(a.Sample(id).Parameters.MeanWavenumber, b.Sample(id).Parameters.MeanWavenumber);
        }
        // Neighbouring ids are unrelated too (no shared noise between consecutive rows).
        Assert.NotEqual(a.Sample(0).Parameters.VolumeFraction, a.Sample(1).Parameters.VolumeFraction);
    }

    [Fact]
    public void GivenARangeWithMinEqualToMax_WhenSampled_ThenTheParameterIsFixed()
    {
        var ranges = new GrfParameterRanges { Family = SpectralDensityFamily.Gaussian, VolumeFraction = new(0.4, 0.4) };
        var sampler = new GrfParameterSampler(3, ranges);
        Assert.All(Enumerable.Range(0, 20), i =>
        {
            Assert.Equal(0.4, sampler.Sample(i).Parameters.VolumeFraction);
            Assert.Equal(SpectralDensityFamily.Gaussian, sampler.Sample(i).Parameters.Family);
        });
    }

    [Theory]
    [InlineData(0.0, 1.0, "Volume fraction")]
    [InlineData(0.9, 0.2, "Min 0.9 above Max 0.2")]
    [InlineData(double.NaN, 0.5, "finite")]
    public void GivenAnInvalidVolumeFractionRange_WhenTheSamplerIsCreated_ThenTheMessageNamesTheProblem(double min, double max, string expected)
    {
        var ranges = new GrfParameterRanges { VolumeFraction = new(min, max) };
        var error = Assert.Throws<ArgumentException>(() => new GrfParameterSampler(1, ranges));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void GivenAMeanWavenumberBeyondNyquist_WhenValidated_ThenTheMessageNamesTheLimit()
    {
        var ranges = new GrfParameterRanges { MeanWavenumber = new(3, 40) };
        var error = Assert.Throws<ArgumentException>(() => ranges.Validate(64));
        Assert.Contains("Mean wavenumber", error.Message);
        Assert.Contains("32", error.Message);
    }
}
