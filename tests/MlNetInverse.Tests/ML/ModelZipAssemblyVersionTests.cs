using System.Reflection;

namespace MlNetInverse.Tests.ML;

/// <summary>
/// A model zip names each transformer's assembly with its version, and .NET loads only an equal or newer version:
/// when the package version 0.13.0 briefly became the assembly version, every zip saved before (naming 1.0.0.0) failed
/// with "Could not load file or assembly 'MlNetInverse.ML, Version=1.0.0.0'".
/// </summary>
public sealed class ModelZipAssemblyVersionTests
{
    [Theory]
    [InlineData("MlNetInverse.Physics")]
    [InlineData("MlNetInverse.Models")]
    [InlineData("MlNetInverse.ML")]
    [InlineData("MlNetInverse.Baselines")]
    [InlineData("MlNetInverse.Workflows")]
    public void GivenAProductAssembly_WhenItsVersionIsRead_ThenItIsNotBelowTheOneEverySavedZipNames(string name)
    {
        var version = Assembly.Load(name).GetName().Version!;

        Assert.True(version >= new Version(1, 0, 0, 0), $"{name} has assembly version {version}; zips saved so far name 1.0.0.0 and would no longer load");
    }
}
