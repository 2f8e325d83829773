namespace MlNetInverse.Baselines.Optimization;

/// <summary>Hyper-parameters of a <see cref="GaussianProcess"/>.</summary>
/// <param name="LengthScales">One length scale per input dimension (input units; the optimiser's inputs live in [0, 1]), all &gt; 0.</param>
/// <param name="SignalVariance">Prior variance of the function (objective units squared), &gt; 0.</param>
/// <param name="NoiseVariance">Variance of the observation noise (objective units squared), &gt;= 0.</param>
public sealed record GaussianProcessHyperparameters(IReadOnlyList<double> LengthScales, double SignalVariance, double NoiseVariance)
{
    /// <summary>Checks the values for <paramref name="dimension"/> inputs.</summary>
    /// <exception cref="ArgumentException">A wrong count or a value out of range; the message names it.</exception>
    public void Validate(int dimension)
    {
        ArgumentNullException.ThrowIfNull(LengthScales, nameof(LengthScales));
        if (LengthScales.Count != dimension)
            throw new ArgumentException($"GaussianProcessHyperparameters.LengthScales must hold {dimension} values (one per input dimension); got {LengthScales.Count}.", nameof(LengthScales));
        for (int i = 0; i < dimension; i++)
            if (!(LengthScales[i] > 0 && double.IsFinite(LengthScales[i])))
                throw new ArgumentException($"GaussianProcessHyperparameters.LengthScales[{i}] must be finite and > 0; got {LengthScales[i]}.", nameof(LengthScales));
        if (!(SignalVariance > 0 && double.IsFinite(SignalVariance)))
            throw new ArgumentException($"GaussianProcessHyperparameters.SignalVariance must be finite and > 0; got {SignalVariance}.", nameof(SignalVariance));
        if (!(NoiseVariance >= 0 && double.IsFinite(NoiseVariance)))
            throw new ArgumentException($"GaussianProcessHyperparameters.NoiseVariance must be finite and >= 0; got {NoiseVariance}.", nameof(NoiseVariance));
    }
}
