using System.Text.Json.Nodes;
using MlNetInverse.Physics.Rcwa;

namespace MlNetInverse.Workflows.Verification;

/// <summary>
/// <c>evaluate --judge-check N</c> for one cell: its first N designs re-simulated at every setting of
/// <see cref="TruncationBand.Neighbours"/> (the next two harmonic sets, the other factorisation). How far their REP
/// moves from the judge's is the solver's own uncertainty on that REP.
/// </summary>
/// <param name="Variants">One entry per neighbouring setting, in <see cref="TruncationBand.Neighbours"/> order.</param>
/// <param name="Judged">
/// The judge's own absorption of the checked designs when they are not the cell's first ones (pooled seeds check the
/// first N of every seed); null: the cell's first <see cref="Designs"/> designs.
/// </param>
internal sealed record JudgeCheck(IReadOnlyList<JudgeVariant> Variants, IReadOnlyList<double>? Judged = null)
{
    /// <summary>Designs checked.</summary>
    public int Designs => Variants.Count == 0 ? 0 : Variants[0].Absorption.Length;

    /// <summary>The check of the first <paramref name="designs"/> designs only.</summary>
    public JudgeCheck Take(int designs) => designs >= Designs ? this
        : new JudgeCheck(Variants.Select(v => v with { Absorption = v.Absorption[..designs] }).ToArray(), Judged?.Take(designs).ToArray());

    /// <summary>|REP under each setting - REP under the judge| (REP points) of every checked design, one array per setting.</summary>
    /// <param name="target">The cell's target.</param>
    /// <param name="judged">The judge's absorption of the cell's designs (at least <see cref="Designs"/>); <see cref="Judged"/> when set wins.</param>
    public double[][] Shifts(double target, IReadOnlyList<double> judged)
    {
        var own = Judged ?? judged;
        return Variants
            .Select(v => v.Absorption.Select((a, i) => Math.Abs(RepStatistics.Rep(target, a) - RepStatistics.Rep(target, own[i]))).ToArray())
            .ToArray();
    }

    /// <summary>
    /// Checks of several cells of one (method, target) (pooled seeds), or null when one is missing or the settings
    /// differ. Each seed checked its own first designs, so the pooled check carries the judge's absorption of exactly
    /// those designs (<paramref name="judged"/>: each cell's judged absorption, in the same order as the checks).
    /// </summary>
    public static JudgeCheck? Concat(IReadOnlyList<JudgeCheck?> checks, IReadOnlyList<IReadOnlyList<double>> judged)
    {
        if (checks.Count == 0 || checks.Any(c => c is null)) return null;
        if (judged.Count != checks.Count) throw new ArgumentException($"{checks.Count} checks but {judged.Count} judged lists.", nameof(judged));
        var first = checks[0]!;
        if (checks.Any(c => !c!.Variants.Select(v => (v.Harmonics, v.Factorization)).SequenceEqual(first.Variants.Select(v => (v.Harmonics, v.Factorization)))))
            return null;
        return new JudgeCheck(first.Variants.Select((v, k) => v with { Absorption = checks.SelectMany(c => c!.Variants[k].Absorption).ToArray() }).ToArray(),
            checks.SelectMany((c, i) => (c!.Judged ?? judged[i]).Take(c.Designs)).ToArray());
    }

    /// <summary>As stored in a cell file.</summary>
    public JsonArray ToJson() => new(Variants.Select(v => (JsonNode?)new JsonObject
    {
        ["harmonics"] = v.Harmonics,
        ["factorization"] = v.Factorization.ToString(),
        ["absorption"] = new JsonArray(v.Absorption.Select(a => (JsonNode?)JsonValue.Create(a)).ToArray()),
    }).ToArray());

    /// <summary>Reads <see cref="ToJson"/>.</summary>
    /// <exception cref="ArgumentException">An unknown factorisation.</exception>
    public static JudgeCheck FromJson(JsonArray json) => new(json.Select(v => new JudgeVariant(
        v!["harmonics"]!.GetValue<int>(),
        Enum.Parse<FourierFactorization>(v["factorization"]!.GetValue<string>()),
        v["absorption"]!.AsArray().Select(a => a!.GetValue<double>()).ToArray())).ToArray());
}
