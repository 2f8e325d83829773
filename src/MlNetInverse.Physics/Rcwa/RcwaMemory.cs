using System.Globalization;

namespace MlNetInverse.Physics.Rcwa;

/// <summary>
/// The solver's peak memory, estimated before anything is allocated, so a harmonics count that cannot fit ends in one
/// line instead of an OOM kill after minutes (or an integer overflow). Measured peak RSS of <c>simulate</c> with one
/// worker: 0.57 GB at 441 harmonics, 2.0 GB at 961, 5.8 GB at 1681, i.e. about 31 complex128 matrices of
/// 2nG x 2nG per worker solving a wavelength plus about 0.2 GB of runtime; the estimate uses 32.
/// </summary>
public static class RcwaMemory
{
    /// <summary>Set to 1 to run even when the estimate exceeds the memory available.</summary>
    public const string OverrideVariable = Runtime.MemoryBudget.OverrideVariable;

    private const double MatricesPerWorker = 32;
    private const double RuntimeBytes = 0.25e9;

    /// <summary>Estimated peak bytes of <paramref name="workers"/> workers solving at <paramref name="harmonics"/> harmonics.</summary>
    public static double EstimateBytes(int harmonics, int workers)
    {
        double side = 2.0 * harmonics;
        return RuntimeBytes + Math.Max(1, workers) * MatricesPerWorker * side * side * 16;
    }

    /// <summary>Throws when the estimate exceeds 80 % of the memory this process may use (unless <see cref="OverrideVariable"/> is 1).</summary>
    /// <exception cref="InsufficientMemoryException">It would not fit; the message gives the estimate, the limit and the way out.</exception>
    public static void Check(int harmonics, int workers) =>
        Runtime.MemoryBudget.Check(EstimateBytes(harmonics, workers),
            string.Create(CultureInfo.InvariantCulture, $"RCWA with {harmonics} harmonics needs about {{0}} ({MatricesPerWorker} complex matrices of {2L * harmonics} x {2L * harmonics} per worker, {Math.Max(1, workers)} worker(s))"),
            "Use fewer harmonics or workers");
}
