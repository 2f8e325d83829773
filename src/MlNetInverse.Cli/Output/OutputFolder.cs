namespace MlNetInverse.Cli.Output;

/// <summary>
/// Checks before any work starts that an output can be written, so a long run does not fail at its very end (or
/// with a raw IOException at its first checkpoint) because the folder cannot be created.
/// </summary>
internal static class OutputFolder
{
    /// <summary>
    /// <paramref name="folder"/> exists and is writable, or can be created under an existing, writable folder; probed
    /// with a temp file that deletes itself, so nothing is left behind.
    /// </summary>
    /// <param name="option">The option named in the error, e.g. "--out".</param>
    /// <param name="value">The option's value as the user gave it.</param>
    /// <param name="folder">The folder the output goes into.</param>
    /// <exception cref="FormatException">The folder cannot be created or written; the message names the option and the blocking path.</exception>
    public static void CheckWritable(string option, string value, string folder)
    {
        var existing = Path.GetFullPath(folder);
        while (!Directory.Exists(existing))
        {
            var parent = Path.GetDirectoryName(existing);
            if (File.Exists(existing)) throw new FormatException($"{option} '{value}' cannot be created: '{existing}' is not a folder.");
            if (parent is null || File.Exists(parent)) throw new FormatException($"{option} '{value}' cannot be created: '{parent ?? existing}' is not a folder.");
            existing = parent;
        }
        var probe = Path.Combine(existing, $".mlnet-inverse-write-test-{Guid.NewGuid():N}");
        try
        {
            using (File.Create(probe, 1, FileOptions.DeleteOnClose)) { }
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw new FormatException($"{option} '{value}' is not writable: cannot create files in '{existing}' ({e.Message.TrimEnd('.')}).");
        }
    }
}
