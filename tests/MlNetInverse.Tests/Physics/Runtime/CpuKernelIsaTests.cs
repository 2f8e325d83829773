using MlNetInverse.Physics.Runtime;
using Xunit;

namespace MlNetInverse.Tests.Physics.Runtime;

public class CpuKernelIsaTests
{
    [Fact]
    public void GivenNoCapSetByTheUser_WhenDeciding_ThenTheDefaultAvx2CapIsSet()
    {
        string description = CpuKernelIsa.Decide(null, " ", null, out bool set);

        Assert.True(set);
        Assert.StartsWith("AVX2 (default", description);
    }

    [Fact]
    public void GivenTheCapAParentProcessSet_WhenDeciding_ThenItIsStillTheDefault()
    {
        string description = CpuKernelIsa.Decide("AVX2", null, "1", out bool set);

        Assert.True(set);
        Assert.StartsWith("AVX2 (default", description);
    }

    [Theory]
    [InlineData("ALL", null, "ALL (ONEDNN_MAX_CPU_ISA set by the user)")]
    [InlineData(null, "AVX512_CORE", "AVX512_CORE (DNNL_MAX_CPU_ISA set by the user)")]
    [InlineData("AVX2", "ALL", "AVX2 (ONEDNN_MAX_CPU_ISA set by the user)")]
    public void GivenACapSetByTheUser_WhenDeciding_ThenItIsLeftAloneAndNamed(string? value, string? legacy, string expected)
    {
        string description = CpuKernelIsa.Decide(value, legacy, null, out bool set);

        Assert.False(set);
        Assert.Equal(expected, description);
    }

    [Fact]
    public void GivenTheLibraryLoaded_WhenNativeCodeReadsTheEnvironment_ThenItSeesACap()
    {
        if (!OperatingSystem.IsLinux()) return;

        CpuKernelIsa.Apply();

        // oneDNN reads the C environment, which .NET's Environment.SetEnvironmentVariable does not change on Unix.
        string? native = NativeEnvironment.Get(CpuKernelIsa.Variable);
        string? legacy = NativeEnvironment.Get(CpuKernelIsa.LegacyVariable);
        Assert.False(string.IsNullOrWhiteSpace(native) && string.IsNullOrWhiteSpace(legacy), "neither oneDNN variable is set in the native environment");
    }
}
