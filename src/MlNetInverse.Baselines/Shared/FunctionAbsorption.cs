using MlNetInverse.Physics.Microstructures;

namespace MlNetInverse.Baselines.Shared;

/// <summary>Absorption from any function of a map: a cheap analytic stand-in in tests, or a wrapped simulator.</summary>
public sealed class FunctionAbsorption : IAbsorptionEvaluator
{
    private readonly Func<Microstructure, double> _absorption;

    /// <summary>Wraps <paramref name="absorption"/>, called once per map in order.</summary>
    public FunctionAbsorption(Func<Microstructure, double> absorption, string name = "function")
    {
        _absorption = absorption ?? throw new ArgumentNullException(nameof(absorption));
        Name = name;
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <inheritdoc/>
    public double[] Evaluate(IReadOnlyList<Microstructure> maps, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(maps);
        var values = new double[maps.Count];
        for (int i = 0; i < values.Length; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            values[i] = _absorption(maps[i]);
        }
        return values;
    }
}
