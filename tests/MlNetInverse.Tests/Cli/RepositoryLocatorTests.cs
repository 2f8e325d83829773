using MlNetInverse.Cli.Runtime;

namespace MlNetInverse.Tests.Cli;

public sealed class RepositoryLocatorTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void GivenANestedFolderInsideARepository_WhenSearching_ThenTheFolderWithTheSolutionIsFound()
    {
        _folder.Write("repo/MlNetInverse.sln", "");
        var nested = Directory.CreateDirectory(_folder.File("repo/src/a/b")).FullName;

        Assert.Equal(_folder.File("repo"), RepositoryLocator.FindRoot([nested]));
    }

    [Fact]
    public void GivenTheFirstStartOutsideAndTheSecondInside_WhenSearching_ThenTheSecondIsUsed()
    {
        _folder.Write("repo/MlNetInverse.sln", "");
        var outside = Directory.CreateDirectory(_folder.File("elsewhere")).FullName;
        var inside = Directory.CreateDirectory(_folder.File("repo/bin")).FullName;

        Assert.Equal(_folder.File("repo"), RepositoryLocator.FindRoot([outside, inside]));
    }

    [Fact]
    public void GivenARepositoryWithADefaultStack_WhenAskedForIt_ThenItsPathIsReturned()
    {
        _folder.Write("repo/MlNetInverse.sln", "");
        var stack = _folder.Write("repo/pipelines/stacks/default.json", "{}");

        Assert.Equal(stack, RepositoryLocator.DefaultStackPath([_folder.File("repo/pipelines")]));
    }

    [Fact]
    public void GivenARepositoryWithoutTheDefaultStack_WhenAskedForIt_ThenTheErrorNamesTheMissingFileAndTheWayOut()
    {
        _folder.Write("repo/MlNetInverse.sln", "");

        var error = Assert.Throws<FileNotFoundException>(() => RepositoryLocator.DefaultStackPath([_folder.File("repo")]));

        Assert.Contains(Path.Combine("pipelines", "stacks", "default.json"), error.Message);
        Assert.Contains("--stack", error.Message);
    }

    [Fact]
    public void GivenNoRepositoryAbove_WhenAskedForTheDefaultStack_ThenTheErrorSaysSoAndSuggestsStack()
    {
        var start = Directory.CreateDirectory(_folder.File("lonely")).FullName;

        var error = Assert.Throws<FileNotFoundException>(() => RepositoryLocator.DefaultStackPath([start]));

        Assert.Contains("MlNetInverse.sln", error.Message);
        Assert.Contains("--stack", error.Message);
    }
}
