using MlNetInverse.Physics.Runtime;
using Xunit;

namespace MlNetInverse.Tests.Physics.Runtime;

public class OpenMpWaitPolicyTests
{
    [Fact]
    public void GivenNoPolicySetByTheUser_WhenDeciding_ThenThePassiveDefaultIsSet()
    {
        string description = OpenMpWaitPolicy.Decide(null, " ", null, out bool set);

        Assert.True(set);
        Assert.StartsWith("PASSIVE (default", description);
    }

    [Fact]
    public void GivenThePolicyAParentProcessSet_WhenDeciding_ThenItIsStillTheDefault()
    {
        string description = OpenMpWaitPolicy.Decide("PASSIVE", null, "1", out bool set);

        Assert.True(set);
        Assert.StartsWith("PASSIVE (default", description);
    }

    [Theory]
    [InlineData("ACTIVE", null, "ACTIVE (OMP_WAIT_POLICY set by the user)")]
    [InlineData("PASSIVE", null, "PASSIVE (OMP_WAIT_POLICY set by the user)")]
    [InlineData(null, "10000", "spin count 10000 (GOMP_SPINCOUNT set by the user)")]
    [InlineData("active", "0", "active (OMP_WAIT_POLICY set by the user)")]
    public void GivenAPolicyOrSpinCountSetByTheUser_WhenDeciding_ThenItIsLeftAloneAndNamed(string? policy, string? spinCount, string expected)
    {
        string description = OpenMpWaitPolicy.Decide(policy, spinCount, null, out bool set);

        Assert.False(set);
        Assert.Equal(expected, description);
    }

    [Fact]
    public void GivenTheLibraryLoaded_WhenNativeCodeReadsTheEnvironment_ThenItSeesAWaitPolicyOrSpinCount()
    {
        if (!OperatingSystem.IsLinux()) return;

        OpenMpWaitPolicy.Apply();

        // OpenMP reads the C environment, which .NET's Environment.SetEnvironmentVariable does not change on Unix.
        string? policy = NativeEnvironment.Get(OpenMpWaitPolicy.Variable);
        string? spinCount = NativeEnvironment.Get(OpenMpWaitPolicy.SpinCountVariable);
        Assert.False(string.IsNullOrWhiteSpace(policy) && string.IsNullOrWhiteSpace(spinCount), "neither OpenMP variable is set in the native environment");
    }
}
