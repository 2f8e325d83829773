using MlNetInverse.Physics.Storage;
using Spectre.Console.Cli;

namespace MlNetInverse.Cli.Output;

/// <summary>
/// What every command that writes an output does before any work: refuses an output that is one of its inputs, then
/// holds the output's <see cref="OutputLock"/> until it returns, so a second run on the same output fails at once
/// naming this one instead of mixing its rows (or its checkpoints) into ours.
/// </summary>
internal static class OutputClaim
{
    /// <summary>Claims the file <paramref name="output"/> (its parts folder, checkpoint and temp files included).</summary>
    /// <param name="context">The command, whose command line the lock file records for a second run's message.</param>
    /// <param name="option">The option naming the output, e.g. "--out".</param>
    /// <param name="output">The file the command writes.</param>
    /// <param name="inputs">Every file the command reads (null entries are skipped).</param>
    /// <exception cref="ArgumentException">The output is one of the inputs.</exception>
    /// <exception cref="OutputLockedException">Another run is writing the output.</exception>
    public static OutputLock File(CommandContext context, string option, string output, params string?[] inputs)
    {
        RefuseInputs(option, output, inputs);
        return OutputLock.ForFile(output, Holder(context));
    }

    /// <summary>
    /// Claims the folder <paramref name="folder"/>, or with <paramref name="shard"/> the shard's share of it (shards of
    /// one array write into one folder side by side, so each locks its own name).
    /// </summary>
    /// <exception cref="ArgumentException">The folder is one of the inputs.</exception>
    /// <exception cref="OutputLockedException">Another run is writing the folder (or this shard of it).</exception>
    public static OutputLock Folder(CommandContext context, string option, string folder, ShardChoice? shard, params string?[] inputs)
    {
        RefuseInputs(option, folder, inputs);
        return OutputLock.ForFolder(folder, Holder(context),
            shard is null ? null : FormattableString.Invariant($"shard-{shard.Shard.Index:0000}-of-{shard.Shard.Count:0000}"));
    }

    /// <summary>Throws when <paramref name="output"/> names the same file or folder as one of <paramref name="inputs"/>.</summary>
    /// <exception cref="ArgumentException">The output is one of the inputs; the message names both.</exception>
    public static void RefuseInputs(string option, string output, params string?[] inputs)
    {
        var full = Normalize(output);
        foreach (var input in inputs)
        {
            if (string.IsNullOrWhiteSpace(input) || Normalize(input) != full) continue;
            throw new ArgumentException($"{option} '{output}' is also an input of this command; writing it would destroy that input. Choose another output.");
        }
    }

    /// <summary>The command line as the user typed it, for the lock file.</summary>
    public static string Holder(CommandContext context) => CliApp.Name + " " + string.Join(' ', context.Arguments.Select(Quote));

    private static string Normalize(string path)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        // The same file through a symbolic link is still the same file.
        try { if (new FileInfo(full).ResolveLinkTarget(returnFinalTarget: true) is { } target) full = target.FullName; }
        catch (IOException) { }
        return full;
    }

    private static string Quote(string argument) => argument.Length > 0 && !argument.Any(char.IsWhiteSpace) ? argument : $"'{argument}'";
}
