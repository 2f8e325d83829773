using MlNetInverse.Models.Benchmarks;

namespace MlNetInverse.Tests.Models;

public sealed class CpuPeakTests
{
    [Theory]
    [InlineData(true, true, "AVX2", 8, "AVX2")]
    [InlineData(true, true, "", 16, "AVX-512")]
    [InlineData(true, true, "ALL", 16, "AVX-512")]
    [InlineData(true, true, "avx512_core", 16, "AVX-512")]
    [InlineData(false, true, "", 8, "AVX2")]
    [InlineData(false, false, "", 4, "SSE")]
    public void GivenTheCpusInstructionSetsAndTheOneDnnCap_WhenThePeakIsTaken_ThenItsLanesAreThoseTheKernelsMayUse(
        bool avx512, bool avx2, string cap, int lanes, string instructionSet)
    {
        var peak = CpuPeak.Of(2, 2.1, avx512, avx2, cap);

        Assert.Equal(lanes, peak.Lanes);
        Assert.Equal(instructionSet, peak.InstructionSet);
        Assert.Equal(2 * 2.1 * CpuPeak.FmaPipes * 2 * lanes, peak.GigaFlops, 9);
    }
}
