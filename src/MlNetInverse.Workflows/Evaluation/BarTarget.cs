using System.Text.Json.Nodes;

namespace MlNetInverse.Workflows.Evaluation;

/// <summary>The bar at one target for one method (<see cref="EvaluationBar"/>).</summary>
/// <param name="Target">The target.</param>
/// <param name="MeanRep">The method's RCWA mean REP (%).</param>
/// <param name="ControlMeanRep">vf-control's mean REP at the same target (%), NaN when vf-control was not evaluated.</param>
/// <param name="Skill">ControlMeanRep / MeanRep (NaN without the control).</param>
/// <param name="DiversityRatio">Diversity over the training maps' at this absorption (reported, not part of the bar).</param>
internal sealed record BarTarget(double Target, double MeanRep, double ControlMeanRep, double Skill, double DiversityRatio)
{
    /// <summary>Mean REP at most <see cref="EvaluationBar.MaxMeanRep"/> %.</summary>
    public bool MeanMet => MeanRep <= EvaluationBar.MaxMeanRep;

    /// <summary>Skill at least <see cref="EvaluationBar.MinSkill"/>; null when vf-control was not evaluated (the bar cannot be judged).</summary>
    public bool? SkillMet => double.IsNaN(ControlMeanRep) ? null : Skill >= EvaluationBar.MinSkill;

    /// <summary>Both criteria met (false when the skill cannot be judged).</summary>
    public bool Met => MeanMet && SkillMet == true;

    /// <summary>"MET", "MISSED" or "NOT JUDGED" (no vf-control: the mean criterion alone cannot pass the bar).</summary>
    public string Verdict => Met ? "MET" : SkillMet is null && MeanMet ? "NOT JUDGED" : "MISSED";

    /// <summary>As JSON.</summary>
    public JsonObject ToJson() => new()
    {
        ["target"] = Target,
        ["mean_rep"] = ReportNumbers.Json(MeanRep),
        ["vf_control_mean_rep"] = ReportNumbers.Json(ControlMeanRep),
        ["skill"] = ReportNumbers.Json(Skill),
        ["mean_met"] = MeanMet,
        ["skill_met"] = SkillMet,
        ["met"] = Met,
        ["verdict"] = Verdict,
        ["diversity_ratio_to_training"] = ReportNumbers.Json(DiversityRatio),
    };
}
