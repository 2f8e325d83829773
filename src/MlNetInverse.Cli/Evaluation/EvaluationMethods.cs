using MlNetInverse.Baselines;

namespace MlNetInverse.Cli.Evaluation;

/// <summary>The method names <c>evaluate --methods</c> accepts, in the order the report lists them (paper Table I order after ours).</summary>
internal static class EvaluationMethods
{
    /// <summary>The model zip as trained: VQ-VAE + MDN (with its calibration and surrogate screen when the zip has them).</summary>
    public const string Proposed = "proposed";

    /// <summary>The model zip with verify-and-rank: oversampled MDN draws ranked by the surrogate, the best simulated with RCWA.</summary>
    public const string ProposedRanked = "proposed+rank";

    /// <summary>Every method in report order.</summary>
    public static IReadOnlyList<string> All { get; } = [Proposed, ProposedRanked, .. BaselineNames.All];

    /// <summary>The paper's Table I names, for report headings.</summary>
    public static string Title(string method) => method switch
    {
        Proposed => "The proposed framework (VQ-VAE + MDN)",
        ProposedRanked => "Proposed + verify-and-rank (not in the paper)",
        BaselineNames.GanMdn => "GAN-MDN method",
        BaselineNames.PcaMdn => "PCA-MDN method",
        BaselineNames.MdnInverse => "MDN based deep learning inverse model",
        BaselineNames.Optimization => "Optimization based inverse model (Bayesian optimisation)",
        _ => method,
    };

    /// <summary>Parses a comma-separated list; duplicates are dropped and the result is in report order.</summary>
    /// <exception cref="FormatException">An empty list or an unknown name; the message lists the known ones.</exception>
    public static IReadOnlyList<string> Parse(string text)
    {
        var names = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (names.Length == 0) throw new FormatException($"--methods: the list is empty; name one or more of {string.Join(", ", All)}.");
        foreach (var name in names)
            if (!All.Contains(name, StringComparer.Ordinal))
                throw new FormatException($"--methods: '{name}' is not a method; known methods are {string.Join(", ", All)}.");
        return All.Where(names.Contains).ToArray();
    }
}
