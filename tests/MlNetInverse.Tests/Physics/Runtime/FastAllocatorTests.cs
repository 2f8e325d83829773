using System.Runtime.InteropServices;
using System.Text;
using MlNetInverse.Cli.Runtime;
using MlNetInverse.Physics.Runtime;

namespace MlNetInverse.Tests.Physics.Runtime;

public sealed class FastAllocatorTests
{
    private const string X64Library = "/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4";
    private const string Arm64Library = "/usr/lib/aarch64-linux-gnu/libtcmalloc_minimal.so.4";

    private static AllocatorEnvironment Linux(string? ldPreload = null, string? setting = null, string? marker = null,
        Architecture architecture = Architecture.X64, bool installed = true) =>
        new(true, architecture, ldPreload, setting, marker, path => installed && (path == X64Library || path == Arm64Library));

    [Fact]
    public void GivenLinuxWithTcmallocInstalledAndNothingSet_WhenDeciding_ThenItReexecutesWithTheX64Library()
    {
        var decision = FastAllocator.Decide(Linux());

        Assert.True(decision.Reexecute);
        Assert.Equal(X64Library, decision.PreloadLibrary);
    }

    [Fact]
    public void GivenArm64_WhenDeciding_ThenTheAarch64LibraryIsPreloaded()
    {
        Assert.Equal(Arm64Library, FastAllocator.Decide(Linux(architecture: Architecture.Arm64)).PreloadLibrary);
    }

    [Theory]
    [InlineData("/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4", null, null, true, "LD_PRELOAD already names tcmalloc")]
    [InlineData("/opt/libtcmalloc.so:/other.so", null, null, true, "LD_PRELOAD already names tcmalloc")]
    [InlineData(null, "system", null, true, "MLNET_INVERSE_ALLOCATOR=system")]
    [InlineData(null, " System ", null, true, "MLNET_INVERSE_ALLOCATOR=system")]
    [InlineData(null, null, "1", true, "already re-executed")]
    public void GivenAReasonNotTo_WhenDeciding_ThenTheProcessContinuesAndSaysWhy(string? ldPreload, string? setting, string? marker, bool installed, string reason)
    {
        var decision = FastAllocator.Decide(Linux(ldPreload, setting, marker, installed: installed));

        Assert.False(decision.Reexecute);
        Assert.Null(decision.PreloadLibrary);
        Assert.Contains(reason, decision.Reason);
    }

    [Fact]
    public void GivenTcmallocNotInstalled_WhenDeciding_ThenItReexecutesWithGlibcMallocTunedAndNothingPreloaded()
    {
        var decision = FastAllocator.Decide(Linux(installed: false));

        Assert.True(decision.Reexecute);
        Assert.Null(decision.PreloadLibrary);
        Assert.Equal(FastAllocator.TunedGlibc, decision.Tunables);
        Assert.Contains("is not installed", decision.Reason);
    }

    [Fact]
    public void GivenTcmallocInstalled_WhenDeciding_ThenGlibcIsLeftUntuned()
    {
        Assert.Null(FastAllocator.Decide(Linux()).Tunables);
    }

    [Fact]
    public void GivenTheUsersOwnMallocTunables_WhenTcmallocIsMissing_ThenTheyAreKeptAndNothingReexecutes()
    {
        var decision = FastAllocator.Decide(Linux(installed: false) with { GlibcTunables = "glibc.malloc.arena_max=2" });

        Assert.False(decision.Reexecute);
        Assert.Contains("GLIBC_TUNABLES already sets glibc malloc", decision.Reason);
    }

    [Fact]
    public void GivenOtherGlibcTunables_WhenTcmallocIsMissing_ThenOursComeFirstAndTheirsAreKept()
    {
        var decision = FastAllocator.Decide(Linux(installed: false) with { GlibcTunables = "glibc.cpu.x86_shstk=off" });

        Assert.Equal($"{FastAllocator.TunedGlibc}:glibc.cpu.x86_shstk=off", decision.Tunables);
    }

    [Fact]
    public void GivenTheTunedValue_WhenReadAsGlibcTunables_ThenEveryEntryIsAMallocSettingWithANumber()
    {
        // A misspelt tunable is silently ignored by glibc: pin the names and values that were measured.
        var entries = FastAllocator.TunedGlibc.Split(':').Select(e => e.Split('=')).ToDictionary(e => e[0], e => long.Parse(e[1]));

        Assert.Equal(1, entries["glibc.malloc.hugetlb"]);
        Assert.Equal(32L << 20, entries["glibc.malloc.mmap_threshold"]);
        Assert.Equal(4L << 30, entries["glibc.malloc.trim_threshold"]);
        Assert.Equal(256L << 20, entries["glibc.malloc.top_pad"]);
        Assert.Equal(4, entries.Count);
    }

    [Fact]
    public void GivenTheTestRunsFallbackSettings_WhenRead_ThenTheyTuneGlibcExactlyAsTheCliDoes()
    {
        var root = RepositoryLocator.FindRoot([AppContext.BaseDirectory])!;
        var settings = System.Xml.Linq.XDocument.Load(Path.Combine(root, "tests", "tuned-glibc.runsettings"));

        Assert.Equal(FastAllocator.TunedGlibc, settings.Descendants("GLIBC_TUNABLES").Single().Value);
    }

    [Fact]
    public void GivenAnotherLibraryPreloadedOrAnotherSetting_WhenDeciding_ThenItStillReexecutes()
    {
        Assert.True(FastAllocator.Decide(Linux(ldPreload: "/usr/lib/libfoo.so", setting: "tcmalloc")).Reexecute);
    }

    [Fact]
    public void GivenNotLinux_WhenDeciding_ThenItNeverReexecutes()
    {
        Assert.False(FastAllocator.Decide(Linux() with { IsLinux = false }).Reexecute);
    }

    [Fact]
    public void GivenAnArchitectureWithoutAKnownTcmalloc_WhenDeciding_ThenOnlyGlibcIsTuned()
    {
        var decision = FastAllocator.Decide(Linux(architecture: Architecture.Wasm));

        Assert.Null(decision.PreloadLibrary);
        Assert.Equal(FastAllocator.TunedGlibc, decision.Tunables);
    }

    [Fact]
    public void GivenAnExistingPreload_WhenBuildingTheChildValue_ThenTcmallocComesFirstAndTheOtherIsKept()
    {
        Assert.Equal(X64Library, FastAllocator.PreloadValue(X64Library, null));
        Assert.Equal(X64Library, FastAllocator.PreloadValue(X64Library, " "));
        Assert.Equal($"{X64Library}:/usr/lib/libfoo.so", FastAllocator.PreloadValue(X64Library, "/usr/lib/libfoo.so"));
    }

    [Fact]
    public void GivenProcCmdlineBytes_WhenParsed_ThenArgvIsRecoveredExactlyIncludingEmptyAndSpacedArguments()
    {
        var bytes = Encoding.UTF8.GetBytes("dotnet\0mlnet-inverse.dll\0simulate\0--pattern\0my map.txt\0\0--json\0");

        var argv = FastAllocator.ParseCommandLine(bytes);

        Assert.Equal(new[] { "dotnet", "mlnet-inverse.dll", "simulate", "--pattern", "my map.txt", "", "--json" }, argv);
    }

    [Fact]
    public void GivenEmptyCmdline_WhenParsed_ThenArgvIsEmpty()
    {
        Assert.Empty(FastAllocator.ParseCommandLine([]));
    }
}
