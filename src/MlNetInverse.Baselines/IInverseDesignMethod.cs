using MlNetInverse.Physics.Microstructures;

namespace MlNetInverse.Baselines;

/// <summary>
/// An inverse-design method: a target absorption in, binarized microstructure maps out, as a user would fabricate
/// them. Every baseline of the paper's Table I implements it, so one evaluation loop can run them all side by side.
/// </summary>
/// <remarks>
/// Implementations are deterministic: the same (target, count, seed) on the same device gives the same maps, also
/// after <see cref="Save"/> and the type's static <c>Load</c>. <see cref="InverseDesignMethodFile.Load"/> opens any
/// saved method by the kind written in its header.
/// </remarks>
public interface IInverseDesignMethod : IDisposable
{
    /// <summary>The method's name on the command line, e.g. "pca-mdn" (see <see cref="BaselineNames"/>).</summary>
    string Name { get; }

    /// <summary>
    /// Generates <paramref name="count"/> binary maps (pixels exactly 0 or 1) meant to have absorption
    /// <paramref name="targetAbsorption"/>.
    /// </summary>
    /// <param name="targetAbsorption">Target absorption (dimensionless, finite, &gt; 0: the REP divides by it).</param>
    /// <param name="count">Maps to return (at least 1); the paper uses 30 per target.</param>
    /// <param name="seed">Seed of every random draw: the same seed gives the same maps.</param>
    /// <param name="cancellationToken">Checked between units of work.</param>
    /// <exception cref="ArgumentException">Bad target or count; the message names the value.</exception>
    IReadOnlyList<Microstructure> Generate(double targetAbsorption, int count, long seed, CancellationToken cancellationToken = default);

    /// <summary>Writes the method to <paramref name="path"/> atomically (temp file in the same folder, then rename).</summary>
    void Save(string path);
}
