using MlNetInverse.Tests.Physics.Datasets;

namespace MlNetInverse.Tests.Cli;

/// <summary><c>data describe</c> checks a dataset's rows against the SHA-256 recorded when it was written.</summary>
public sealed class DamagedFileTests : IDisposable
{
    private const string StackJson = """
        {"period_nm": 350, "materials": {"air": {"eps": "1"}, "si": {"eps": "12+0.5i"}, "glass": {"eps": "2.25"}},
         "superstrate": "air", "patterned_layer": {"material_a": "si", "material_b": "air", "thickness_nm": 100},
         "substrate": "glass", "wavelengths_nm": [500, 600], "solver": {"harmonics": 9}}
        """;

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task GivenADatasetWithAByteFlippedSilently_WhenDescribed_ThenOneLineNamesTheDamagedFile()
    {
        string data = _folder.File("d.parquet");
        Assert.Equal(0, CliRun.Of("data", "generate", "--count", "6", "--out", data, "--stack", _folder.Write("stack.json", StackJson)).ExitCode);
        var healthy = CliRun.Of("data", "describe", data);
        await DatasetDamage.FlipSilentlyAsync(data);

        var damaged = CliRun.Of("data", "describe", data);

        Assert.Contains("verified", healthy.Stdout);
        Assert.Equal(1, damaged.ExitCode);
        Assert.Contains($"'{data}' is damaged: its rows do not match the SHA-256", Assert.Single(damaged.StderrLines));
    }
}
