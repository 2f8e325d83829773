namespace MlNetInverse.Cli.Runtime;

/// <summary>Finds the MlNetInverse repository (the folder holding MlNetInverse.sln) so project defaults can be used from anywhere inside it.</summary>
internal static class RepositoryLocator
{
    /// <summary>The file that marks the repository root.</summary>
    public const string MarkerFile = "MlNetInverse.sln";

    /// <summary>The default optical stack, relative to the repository root.</summary>
    public static readonly string DefaultStackRelativePath = Path.Combine("pipelines", "stacks", "default.json");

    /// <summary>The first folder at or above one of <paramref name="startDirectories"/> (tried in order) that holds <see cref="MarkerFile"/>; null if none.</summary>
    public static string? FindRoot(IEnumerable<string> startDirectories)
    {
        foreach (var start in startDirectories)
        {
            for (var directory = new DirectoryInfo(Path.GetFullPath(start)); directory is not null; directory = directory.Parent)
                if (File.Exists(Path.Combine(directory.FullName, MarkerFile))) return directory.FullName;
        }
        return null;
    }

    /// <summary>The default stack file of the repository found from the current directory or the app's folder.</summary>
    /// <exception cref="FileNotFoundException">No repository was found, or it has no default stack file; the message says what to pass instead.</exception>
    public static string DefaultStackPath() => DefaultStackPath([Environment.CurrentDirectory, AppContext.BaseDirectory]);

    /// <summary>The default stack file of the repository found from <paramref name="startDirectories"/>.</summary>
    public static string DefaultStackPath(IReadOnlyList<string> startDirectories)
    {
        var root = FindRoot(startDirectories)
            ?? throw new FileNotFoundException(
                $"no --stack given and no MlNetInverse repository (a folder with {MarkerFile}) above {string.Join(" or ", startDirectories.Select(d => $"'{d}'"))} to take {DefaultStackRelativePath} from; pass --stack FILE.json.");
        var path = Path.Combine(root, DefaultStackRelativePath);
        if (!File.Exists(path))
            throw new FileNotFoundException($"no --stack given and the default stack file '{path}' does not exist; pass --stack FILE.json.", path);
        return path;
    }
}
