using System.Text.Json.Nodes;
using MlNetInverse.Physics.Microstructures;
using MlNetInverse.Physics.Statistics;
using MlNetInverse.Workflows.Verification;

namespace MlNetInverse.Workflows.Evaluation;

/// <summary>
/// One cell of the evaluation table: a method's designs for one target, judged by RCWA and by the model's surrogate.
/// A stored cell holds one seed's designs; the report's cell pools the seeds (<see cref="Pool"/>).
/// </summary>
/// <param name="Method">The method name.</param>
/// <param name="Target">The target absorption.</param>
/// <param name="Maps">The designs (binary).</param>
/// <param name="RcwaAbsorption">RCWA absorption of each design on the evaluation's stack.</param>
/// <param name="SurrogateAbsorption">The model's surrogate's absorption of each design.</param>
/// <param name="MethodSimulations">RCWA simulations the method itself spent (optimisation, verify-and-rank).</param>
/// <param name="Drawn">Candidates the method drew before choosing.</param>
/// <param name="WithinTolerance">Verify-and-rank: designs confirmed within the tolerance; otherwise null.</param>
/// <param name="GenerationSeconds">Wall time of the method for this target (s), its own simulations included.</param>
/// <param name="JudgeSeconds">Wall time of the evaluation's RCWA and surrogate judgement (s).</param>
/// <param name="Training">How the method was made (null for the model's own methods, trained by <c>train --pipeline</c>).</param>
/// <param name="Seeds">The evaluation seeds whose designs the cell holds, in the order of its designs (null: not recorded).</param>
/// <param name="Check">The judge check of the first designs (<c>--judge-check</c>), or null when none was run.</param>
internal sealed record CellResult(string Method, double Target, IReadOnlyList<Microstructure> Maps, double[] RcwaAbsorption, double[] SurrogateAbsorption,
    int MethodSimulations, int Drawn, int? WithinTolerance, double GenerationSeconds, double JudgeSeconds, BaselineTraining? Training,
    IReadOnlyList<long>? Seeds = null, JudgeCheck? Check = null)
{
    /// <summary>REP (%) of each design under RCWA.</summary>
    public double[] RcwaReps => RcwaAbsorption.Select(a => RepStatistics.Rep(Target, a)).ToArray();

    /// <summary>Table I statistics under RCWA.</summary>
    public RepStatistics Rcwa => RepStatistics.Of(RcwaReps);

    /// <summary>
    /// 95 % percentile-bootstrap interval of the mean RCWA REP (2,000 resamples, seed 0: the same designs always give
    /// the same interval).
    /// </summary>
    public ConfidenceInterval RcwaMeanInterval => BootstrapInterval.OfMean(RcwaReps);

    /// <summary>The same statistics under the surrogate.</summary>
    public RepStatistics Surrogate => RepStatistics.Of(Target, SurrogateAbsorption);

    /// <summary>The cells of one (method, target), one per seed, as one cell: designs, judgements and costs concatenated in seed order.</summary>
    /// <exception cref="ArgumentException">No cells, or cells of different methods or targets.</exception>
    public static CellResult Pool(IReadOnlyList<CellResult> perSeed)
    {
        if (perSeed.Count == 0) throw new ArgumentException("Pool at least one cell.", nameof(perSeed));
        var first = perSeed[0];
        if (perSeed.Any(c => c.Method != first.Method || c.Target != first.Target))
            throw new ArgumentException($"Only the cells of one method and target pool; got {string.Join(", ", perSeed.Select(c => $"{c.Method}@{c.Target}").Distinct())}.", nameof(perSeed));
        if (perSeed.Count == 1) return first;
        return new CellResult(first.Method, first.Target, perSeed.SelectMany(c => c.Maps).ToArray(),
            perSeed.SelectMany(c => c.RcwaAbsorption).ToArray(), perSeed.SelectMany(c => c.SurrogateAbsorption).ToArray(),
            perSeed.Sum(c => c.MethodSimulations), perSeed.Sum(c => c.Drawn),
            perSeed.Any(c => c.WithinTolerance is null) ? null : perSeed.Sum(c => c.WithinTolerance!.Value),
            perSeed.Sum(c => c.GenerationSeconds), perSeed.Sum(c => c.JudgeSeconds), perSeed.Select(c => c.Training).FirstOrDefault(t => t is not null),
            perSeed.SelectMany(c => c.Seeds ?? []).ToArray(), JudgeCheck.Concat(perSeed.Select(c => c.Check).ToArray(), perSeed.Select(c => c.RcwaAbsorption).ToArray()));
    }

    /// <summary>The cell as stored in the evaluation's cells folder (maps as base64 of <see cref="Microstructure.ToPackedBits"/>).</summary>
    public JsonObject ToJson(string fingerprint) => new()
    {
        ["fingerprint"] = fingerprint,
        ["method"] = Method,
        ["target"] = Target,
        ["seeds"] = Seeds is null ? null : new JsonArray(Seeds.Select(s => (JsonNode?)s).ToArray()),
        ["image_size"] = Maps[0].Size,
        ["maps"] = new JsonArray(Maps.Select(m => (JsonNode?)Convert.ToBase64String(m.ToPackedBits())).ToArray()),
        ["rcwa_absorption"] = Numbers(RcwaAbsorption),
        ["surrogate_absorption"] = Numbers(SurrogateAbsorption),
        ["method_simulations"] = MethodSimulations,
        ["drawn"] = Drawn,
        ["within_tolerance"] = WithinTolerance,
        ["generation_seconds"] = GenerationSeconds,
        ["judge_seconds"] = JudgeSeconds,
        ["training"] = Training is null ? null : new JsonObject
        {
            ["settings"] = Training.Settings, ["source"] = Training.Source, ["seconds"] = Training.Seconds,
        },
        ["judge_check"] = Check?.ToJson(),
    };

    /// <summary>Reads a stored cell; null when it was stored under another fingerprint (other settings, model or data).</summary>
    /// <exception cref="InvalidDataException">The file is not a stored cell.</exception>
    public static CellResult? FromJson(JsonNode json, string fingerprint)
    {
        try
        {
            if (json["fingerprint"]!.GetValue<string>() != fingerprint) return null;
            int size = json["image_size"]!.GetValue<int>();
            string method = json["method"]!.GetValue<string>();
            var training = json["training"] is JsonObject t
                ? new BaselineTraining(method, t["settings"]!.GetValue<string>(), t["source"]!.GetValue<string>(), t["seconds"]!.GetValue<double>())
                : null;
            return new CellResult(method, json["target"]!.GetValue<double>(),
                json["maps"]!.AsArray().Select(m => Microstructure.FromPackedBits(Convert.FromBase64String(m!.GetValue<string>()), size)).ToArray(),
                json["rcwa_absorption"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray(),
                json["surrogate_absorption"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray(),
                json["method_simulations"]!.GetValue<int>(), json["drawn"]!.GetValue<int>(), json["within_tolerance"]?.GetValue<int>(),
                json["generation_seconds"]!.GetValue<double>(), json["judge_seconds"]!.GetValue<double>(), training,
                json["seeds"]?.AsArray().Select(s => s!.GetValue<long>()).ToArray(),
                json["judge_check"] is JsonArray check ? JudgeCheck.FromJson(check) : null);
        }
        catch (Exception e) when (e is NullReferenceException or InvalidOperationException or FormatException or ArgumentException)
        {
            throw new InvalidDataException($"not a stored evaluation cell ({e.Message})", e);
        }
    }

    private static JsonArray Numbers(IEnumerable<double> values) => new(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());
}
