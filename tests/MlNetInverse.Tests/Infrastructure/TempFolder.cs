namespace MlNetInverse.Tests.Infrastructure;

/// <summary>A fresh temporary folder, deleted on dispose (the one every test uses).</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "mlnet-inverse-cli-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Copies every file below <paramref name="source"/> to the subfolder <paramref name="name"/>; returns its path.</summary>
    public string CopyOf(string source, string name)
    {
        var folder = File(name);
        Directory.CreateDirectory(folder);
        foreach (var file in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
        {
            var copy = System.IO.Path.Combine(folder, System.IO.Path.GetRelativePath(source, file));
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(copy)!);
            System.IO.File.Copy(file, copy);
        }
        return folder;
    }

    public string Write(string name, string content)
    {
        var path = File(name);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        System.IO.File.WriteAllText(path, content);
        return path;
    }

    /// <summary>Every file below the folder with its size and write time, to prove a command wrote nothing.</summary>
    public string[] Snapshot() => Directory.EnumerateFiles(Path, "*", SearchOption.AllDirectories)
        .Select(f => $"{f}|{new FileInfo(f).Length}|{System.IO.File.GetLastWriteTimeUtc(f):O}")
        .Order(StringComparer.Ordinal)
        .ToArray();

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless; a failing Dispose would hide the real test result.
        }
    }
}
