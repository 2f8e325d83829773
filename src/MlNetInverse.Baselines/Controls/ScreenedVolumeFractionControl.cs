using MlNetInverse.Baselines.Shared;
using MlNetInverse.Models.Surrogate;
using MlNetInverse.Physics.Microstructures;

namespace MlNetInverse.Baselines.Controls;

/// <summary>
/// The volume-fraction control through a surrogate screen: draw count x oversampling designs of
/// <see cref="VolumeFractionControl"/> and keep the count whose surrogate absorption is closest to the target, chosen
/// exactly as a model zip's screen chooses (<see cref="SurrogateScreen"/>: one ranking over all draws of the target,
/// closest first). With the model's surrogate and oversampling it separates what the screen contributes from what the
/// model learned. Draw n is the control's design n, so the unscreened control's designs are among the candidates.
/// </summary>
public sealed class ScreenedVolumeFractionControl
{
    private readonly IAbsorptionEvaluator _surrogate;

    /// <summary>Screens <paramref name="control"/>'s draws with <paramref name="surrogate"/> (not owned).</summary>
    /// <param name="control">The fitted control.</param>
    /// <param name="surrogate">The screen's judge: the model zip's surrogate in an evaluation.</param>
    /// <param name="oversampling">Draws per kept design (at least 1; 1 keeps every draw, ordered by the screen).</param>
    /// <exception cref="ArgumentOutOfRangeException">Oversampling below 1.</exception>
    public ScreenedVolumeFractionControl(VolumeFractionControl control, IAbsorptionEvaluator surrogate, int oversampling)
    {
        ArgumentNullException.ThrowIfNull(control);
        ArgumentNullException.ThrowIfNull(surrogate);
        if (oversampling < 1) throw new ArgumentOutOfRangeException(nameof(oversampling), oversampling, "Draw at least 1 design per kept design.");
        Control = control;
        _surrogate = surrogate;
        Oversampling = oversampling;
    }

    /// <summary>The method's name on the command line.</summary>
    public string Name => ControlNames.ScreenedVolumeFraction;

    /// <summary>The control whose draws are screened.</summary>
    public VolumeFractionControl Control { get; }

    /// <summary>Draws per kept design.</summary>
    public int Oversampling { get; }

    /// <summary>
    /// The <paramref name="count"/> of count x <see cref="Oversampling"/> control draws whose surrogate absorption is
    /// closest to <paramref name="target"/>, closest first, with that absorption.
    /// </summary>
    /// <exception cref="ArgumentException">A target that is not finite and positive, or a count below 1.</exception>
    public (IReadOnlyList<Microstructure> Maps, double[] SurrogateAbsorption) Generate(double target, int count, long seed, CancellationToken cancellationToken = default)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "Ask for at least 1 design.");
        var drawn = Control.Generate(target, checked(count * Oversampling), seed, cancellationToken);
        var predicted = _surrogate.Evaluate(drawn, cancellationToken);
        var kept = SurrogateScreen.Closest(predicted.Select(p => (float)p).ToArray(), (float)target, count);
        return (kept.Select(i => drawn[i]).ToArray(), kept.Select(i => predicted[i]).ToArray());
    }
}
