namespace MlNetInverse.Physics.Datasets;

/// <summary>A closed interval [<paramref name="Min"/>, <paramref name="Max"/>] that a GRF parameter is drawn from uniformly.</summary>
/// <param name="Min">Lower bound (inclusive).</param>
/// <param name="Max">Upper bound; equal to <paramref name="Min"/> fixes the parameter.</param>
public readonly record struct ParameterRange(double Min, double Max)
{
    /// <summary>Width of the interval, Max - Min.</summary>
    public double Width => Max - Min;

    /// <summary>The point at fraction <paramref name="unit"/> in [0, 1) of the interval: Min + unit * (Max - Min).</summary>
    public double At(double unit) => Min + unit * (Max - Min);

    /// <summary>True when <paramref name="value"/> lies in [Min, Max].</summary>
    public bool Contains(double value) => value >= Min && value <= Max;

    /// <summary>Throws <see cref="ArgumentException"/> naming <paramref name="name"/> when the bounds are not finite or reversed.</summary>
    internal void ValidateOrder(string name)
    {
        if (!double.IsFinite(Min) || !double.IsFinite(Max))
            throw new ArgumentException($"{name} range must have finite bounds; got [{Min}, {Max}].");
        if (Min > Max)
            throw new ArgumentException($"{name} range has Min {Min} above Max {Max}.");
    }

    /// <inheritdoc/>
    public override string ToString() => FormattableString.Invariant($"[{Min}, {Max}]");
}
