using System.Diagnostics;
using MlNetInverse.Baselines.Controls;
using MlNetInverse.Baselines.Shared;

namespace MlNetInverse.Workflows.Evaluation;

/// <summary>
/// Makes the learning-free controls of an evaluation: the volume-fraction control is fitted on the training split
/// (milliseconds, so it is fitted whenever one of its cells is computed, never cached); the screened one uses the
/// model's surrogate and the model zip's oversampling (1 when the zip has no screen).
/// </summary>
internal sealed class ControlProvider(EvaluationSetup setup, IAbsorptionEvaluator surrogate, Action<string> log)
{
    private readonly Dictionary<string, BaselineTraining> _trainings = [];

    /// <summary>How each control created so far was fitted.</summary>
    public IReadOnlyDictionary<string, BaselineTraining> Trainings => _trainings;

    /// <summary>The control called <paramref name="name"/>, fitted now.</summary>
    /// <exception cref="ArgumentException">Not a control's name.</exception>
    public IEvaluationMethod Create(string name)
    {
        if (!ControlNames.All.Contains(name)) throw new ArgumentException($"'{name}' is not a learning-free control.", nameof(name));
        var watch = Stopwatch.StartNew();
        var (fractions, labels) = setup.Reference.VolumeFractionsAndLabels();
        var control = VolumeFractionControl.Fit(fractions, labels, setup.Control);
        _trainings[name] = new BaselineTraining(name, setup.MethodSettings(name), control.Describe(), watch.Elapsed.TotalSeconds);
        log($"{name}: {control.Describe()}");
        return name == ControlNames.VolumeFraction
            ? new VfControlMethod(control)
            : new ScreenedVfControlMethod(new ScreenedVolumeFractionControl(control, surrogate, setup.Model.Oversampling));
    }
}
