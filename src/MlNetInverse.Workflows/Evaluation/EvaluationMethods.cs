using MlNetInverse.Baselines;
using MlNetInverse.Baselines.Controls;

namespace MlNetInverse.Workflows.Evaluation;

/// <summary>
/// The method names <c>evaluate --methods</c> accepts, in the order the report lists them: the paper's method
/// reproduced, the model zip as shipped and with verify-and-rank, the learning-free controls, then the paper's baselines
/// in Table I order.
/// </summary>
public static class EvaluationMethods
{
    /// <summary>The model zip used exactly as the paper does: plain MDN sampling, one draw per design, no calibration, no screen.</summary>
    public const string Paper = "paper";

    /// <summary>The model zip exactly as <c>generate</c> uses it (with its MDN calibration and surrogate screen when it has them).</summary>
    public const string Proposed = "proposed";

    /// <summary>The model zip with verify-and-rank: oversampled MDN draws ranked by the surrogate, the best simulated with RCWA.</summary>
    public const string ProposedRanked = "proposed+rank";

    /// <summary>
    /// The zip's decoder and screen fed by a masked code prior (<c>train prior</c>) instead of its MDN; only on request,
    /// with <see cref="EvaluationOptions.PriorPath"/>.
    /// </summary>
    public const string CodePrior = "code-prior";

    /// <summary>The learning-free volume-fraction control.</summary>
    public const string VfControl = ControlNames.VolumeFraction;

    /// <summary>The volume-fraction control through the model's surrogate screen.</summary>
    public const string VfControlScreened = ControlNames.ScreenedVolumeFraction;

    /// <summary>Every method a default run evaluates, in report order.</summary>
    public static IReadOnlyList<string> All { get; } = [Paper, Proposed, ProposedRanked, .. ControlNames.All, .. BaselineNames.All];

    /// <summary>Every method that can be named, in report order: <see cref="All"/> and <see cref="CodePrior"/>, which needs a prior file.</summary>
    public static IReadOnlyList<string> Known { get; } = [Paper, Proposed, ProposedRanked, CodePrior, .. ControlNames.All, .. BaselineNames.All];

    /// <summary>The rows the bar applies to: the model's own methods.</summary>
    public static IReadOnlyList<string> Judged { get; } = [Paper, Proposed, ProposedRanked, CodePrior];

    /// <summary>
    /// Report headings of the methods whose title does not depend on the model zip (the paper's Table I names for its
    /// baselines); <see cref="EvaluationSetup.Title"/> names the proposed row from the zip.
    /// </summary>
    public static string Title(string method) => method switch
    {
        Paper => "The proposed framework (VQ-VAE + MDN) as published: plain MDN sampling, one draw per design (reproduction)",
        Proposed => "Proposed as shipped (the model zip as generate uses it)",
        ProposedRanked => "Proposed + verify-and-rank (not in the paper)",
        CodePrior => "Code prior: the zip's decoder and screen fed by a masked prior over its code indices instead of the MDN (not in the paper)",
        VfControl => "VF control: no learning (the VF whose training rows absorb the target, a fresh GRF)",
        VfControlScreened => "VF control + the model's surrogate screen (no learning)",
        BaselineNames.GanMdn => "GAN-MDN method",
        BaselineNames.PcaMdn => "PCA-MDN method",
        BaselineNames.MdnInverse => "MDN based deep learning inverse model",
        BaselineNames.Optimization => "Optimization based inverse model (Bayesian optimisation)",
        _ => method,
    };

    /// <summary>Parses a comma-separated list; duplicates are dropped and the result is in report order.</summary>
    /// <exception cref="FormatException">An empty list or an unknown name; the message lists the known ones.</exception>
    internal static IReadOnlyList<string> Parse(string text)
    {
        var names = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (names.Length == 0) throw new FormatException($"--methods: the list is empty; name one or more of {string.Join(", ", Known)}.");
        foreach (var name in names)
            if (!Known.Contains(name, StringComparer.Ordinal))
                throw new FormatException($"--methods: '{name}' is not a method; known methods are {string.Join(", ", Known)}.");
        return Known.Where(names.Contains).ToArray();
    }
}
