using System.Text;
using MlNetInverse.Physics.Runtime;
using MlNetInverse.Tests.Physics.Datasets;

namespace MlNetInverse.Tests.Physics.Runtime;

/// <summary>
/// The one-line cause of a failed libtorch load, read from the files themselves: TorchSharp 0.107.0's bridge as shipped
/// (strong GLIBCXX_3.4.31+ needs), the copy in this test's output (fixed by the build step), and a libstdc++ that stops
/// at GLIBCXX_3.4.30 (Debian 12's).
/// </summary>
public sealed class LibTorchNativeCheckTests
{
    private const string Bridge = "libLibTorchSharp.so";

    private static string ShippedBridge()
    {
        var cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
                    ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var path = Path.Combine(cache, "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", Bridge);
        Assert.True(File.Exists(path), $"restore puts TorchSharp's bridge at {path}");
        return path;
    }

    private static string BuiltBridge()
    {
        var path = new[] { AppContext.BaseDirectory, Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native") }
            .Select(f => Path.Combine(f, Bridge)).First(File.Exists);
        return path;
    }

    private static string LibStdCxxUpTo(TempFolder folder, int highestMinor)
    {
        var bytes = new List<byte>();
        for (int minor = 20; minor <= highestMinor; minor++) bytes.AddRange(Encoding.ASCII.GetBytes($"GLIBCXX_3.4.{minor}\0"));
        bytes.AddRange(Encoding.ASCII.GetBytes("GLIBCXX_DEBUG_MESSAGE_LENGTH\0"));
        var path = folder.File("libstdc++.so.6");
        File.WriteAllBytes(path, bytes.ToArray());
        return path;
    }

    [Fact]
    public void GivenTheBridgeAsShipped_WhenItsVersionNeedsAreRead_ThenItNeedsGlibcxxBeyondDebian12Strongly()
    {
        var needs = LibTorchNativeCheck.StrongGlibcxxNeeds(File.ReadAllBytes(ShippedBridge()));

        Assert.Contains(needs, minor => minor >= 31);
    }

    [Fact]
    public void GivenTheBridgeInThisBuildsOutput_WhenItsVersionNeedsAreRead_ThenNoNeedBeyondDebian12IsStrong()
    {
        var needs = LibTorchNativeCheck.StrongGlibcxxNeeds(File.ReadAllBytes(BuiltBridge()));

        Assert.DoesNotContain(needs, minor => minor >= 31);
        Assert.NotEmpty(needs);   // the older needs stay strong: only the unmet marker was weakened
    }

    [Fact]
    public void GivenALibStdCxx_WhenItsVersionsAreScanned_ThenTheHighestGlibcxxIsFound()
    {
        using var folder = new TempFolder();

        Assert.Equal(30, LibTorchNativeCheck.HighestGlibcxx(File.ReadAllBytes(LibStdCxxUpTo(folder, 30))));
        Assert.Null(LibTorchNativeCheck.HighestGlibcxx(Encoding.ASCII.GetBytes("no versions here")));
    }

    [Fact]
    public void GivenAnUnfixedBridgeAndDebian12sLibStdCxx_WhenDiagnosed_ThenTheMessageNamesTheGlibcxxNeedAndTheMissingBuildStep()
    {
        using var folder = new TempFolder();
        File.Copy(ShippedBridge(), folder.File(Bridge));
        File.WriteAllBytes(folder.File("libtorch.so"), []);

        var why = LibTorchNativeCheck.Diagnose([folder.Path], LibStdCxxUpTo(folder, 30), "torch said no");

        Assert.Matches(@"needs GLIBCXX_3\.4\.3[1-9] but this system's libstdc\+\+ stops at GLIBCXX_3\.4\.30", why);
        Assert.Contains("build step", why);
        Assert.EndsWith("(TorchSharp: torch said no)", why);
    }

    [Fact]
    public void GivenAFixedBridgeWithoutBackend_WhenDiagnosed_ThenTheMessageNamesTheBackendPackage()
    {
        using var folder = new TempFolder();
        File.Copy(BuiltBridge(), folder.File(Bridge));

        var why = LibTorchNativeCheck.Diagnose([folder.Path], LibStdCxxUpTo(folder, 30), "torch said no");

        Assert.Contains("no libtorch backend", why);
        Assert.Contains("libtorch-cpu-linux-x64", why);
    }

    [Fact]
    public void GivenNoBridgeAtAll_WhenDiagnosed_ThenTheMessageSaysTheNativeBridgeIsMissing()
    {
        using var folder = new TempFolder();

        var why = LibTorchNativeCheck.Diagnose([folder.Path], null, "torch said no");

        Assert.Contains($"{Bridge} is not in the app folder", why);
    }

    [Fact]
    public void GivenThisTestRun_WhenLibTorchIsLoaded_ThenItLoads()
    {
        LibTorchNativeCheck.EnsureLoaded();
    }
}
