using System.Globalization;
using MlNetInverse.Physics.Datasets;

namespace MlNetInverse.Cli;

/// <summary>
/// The <c>--shard I/N</c> option shared by commands that split their work over a cluster array (data generate,
/// data convergence; later score and evaluate). 1-based: <c>--shard 3/4</c> is the third of four. Without the option,
/// a Slurm array task picks its shard from the environment: I = SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN + 1,
/// N = SLURM_ARRAY_TASK_COUNT, so <c>--array=0-3</c> and <c>--array=1-4</c> both make shards 1/4 .. 4/4. An array
/// with gaps or a step has no such mapping and is refused; <c>--shard none</c> ignores the environment.
/// </summary>
internal static class ShardOption
{
    /// <summary>The option as declared on each command's settings.</summary>
    public const string Template = "--shard <I/N>";

    /// <summary>The value that turns sharding off even inside a Slurm array.</summary>
    public const string None = "none";

    public const string TaskIdVariable = "SLURM_ARRAY_TASK_ID";
    public const string TaskMinVariable = "SLURM_ARRAY_TASK_MIN";
    public const string TaskMaxVariable = "SLURM_ARRAY_TASK_MAX";
    public const string TaskCountVariable = "SLURM_ARRAY_TASK_COUNT";

    /// <summary>Help text for the option (commands append what a shard of theirs does).</summary>
    public const string Description =
        "Do only shard I of N (1-based, e.g. 3/4) and write OUT with a .shard-000I-of-000N infix before the extension. " +
        "Default: from SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN + 1 of SLURM_ARRAY_TASK_COUNT inside a Slurm array job, else the whole run; 'none' ignores Slurm.";

    /// <summary>The error for a bad --shard text, or null when it is valid or absent (for Settings.Validate).</summary>
    public static string? Check(string? text)
    {
        if (text is null || IsNone(text)) return null;
        try
        {
            DatasetShard.Parse(text);
            return null;
        }
        catch (FormatException e)
        {
            return "--shard: " + e.Message;
        }
    }

    /// <summary>
    /// The shard to run and a phrase saying where it came from, or null for the whole run. <paramref name="text"/>
    /// wins over the environment; <paramref name="environment"/> reads a variable (null when unset).
    /// </summary>
    /// <exception cref="FormatException">A bad --shard or Slurm variable; the message names it and its value.</exception>
    public static ShardChoice? Resolve(string? text, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (text is not null)
        {
            if (IsNone(text)) return null;
            try { return new ShardChoice(DatasetShard.Parse(text), "--shard"); }
            catch (FormatException e) { throw new FormatException("--shard: " + e.Message, e); }
        }
        string? id = environment(TaskIdVariable);
        if (string.IsNullOrWhiteSpace(id)) return null;
        int task = Whole(TaskIdVariable, id);
        int count = Whole(TaskCountVariable, environment(TaskCountVariable)
            ?? throw new FormatException($"{TaskIdVariable} is set ({id}) but {TaskCountVariable} is not; pass --shard I/N."));
        // Slurm sets MIN in every array job; without it (hand-made environments) ids are taken as 0-based.
        int min = environment(TaskMinVariable) is { } minText ? Whole(TaskMinVariable, minText) : 0;
        if (environment(TaskMaxVariable) is { } maxText && Whole(TaskMaxVariable, maxText) - min + 1 != count)
            throw new FormatException(
                $"the Slurm array is not one contiguous range ({TaskMinVariable}={min}, {TaskMaxVariable}={maxText}, {TaskCountVariable}={count}), " +
                "so its task ids do not number the shards; pass --shard I/N explicitly (e.g. --shard $SLURM_ARRAY_TASK_ID/N with --array=1-N).");
        int index = task - min + 1;
        if (count < 1 || index < 1 || index > count)
            throw new FormatException(string.Create(CultureInfo.InvariantCulture,
                $"{TaskIdVariable}={task} with {TaskMinVariable}={min} and {TaskCountVariable}={count} gives shard {index}/{count}, which does not exist (shards are 1 to {count}); pass --shard I/N."));
        return new ShardChoice(new DatasetShard(index, count), string.Create(CultureInfo.InvariantCulture,
            $"{TaskIdVariable}={task}, {TaskMinVariable}={min}, {TaskCountVariable}={count}"));
    }

    /// <summary><see cref="Resolve(string?, Func{string, string?})"/> with the process environment.</summary>
    public static ShardChoice? Resolve(string? text) => Resolve(text, Environment.GetEnvironmentVariable);

    private static bool IsNone(string text) => string.Equals(text.Trim(), None, StringComparison.OrdinalIgnoreCase);

    private static int Whole(string variable, string text) =>
        int.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value)
            ? value
            : throw new FormatException($"{variable}: '{text}' is not a whole number.");
}
