using MlNetInverse.Physics.Microstructures;

namespace MlNetInverse.Cli.Patterns;

/// <summary>
/// Loads the pattern a command is given: a .txt 0/1 map (<see cref="Microstructure.ParseText"/>: 64 lines of 64
/// characters, line = x, character = y) or a .png image (<see cref="PatternPng"/>: row = x, column = y, gray &gt; 127 = material A).
/// </summary>
internal static class PatternFile
{
    /// <summary>Loads a 64x64 pattern.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="FormatException">Unknown extension, wrong size or a bad character; the message names the file and the place.</exception>
    public static Microstructure Load(string path, int size = Microstructure.DefaultSize)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"pattern file '{path}' does not exist.", path);
        var extension = Path.GetExtension(path).ToLowerInvariant();
        var pattern = extension switch
        {
            ".txt" => LoadText(path, size),
            ".png" => PatternPng.Load(path),
            _ => throw new FormatException($"pattern file '{path}' must be a .txt 0/1 map or a .png image; got '{extension}'."),
        };
        if (pattern.Size != size)
            throw new FormatException($"pattern file '{path}' is {pattern.Size}x{pattern.Size} pixels; expected {size}x{size}.");
        return pattern;
    }

    private static Microstructure LoadText(string path, int size)
    {
        var text = File.ReadAllText(path);
        // Check the line count first: ParseText takes the size from it, so a missing line would otherwise be reported as a line-length error.
        int lines = text.Replace("\r", string.Empty).Split('\n').Count(l => l.Length > 0);
        if (lines != size)
            throw new FormatException($"pattern file '{path}' has {lines} lines; expected {size} lines of {size} '0'/'1' characters.");
        return Microstructure.ParseText(text, $"pattern file '{path}'");
    }
}
