using MlNetInverse.Physics.Microstructures;
using MlNetInverse.Physics.Optics;

namespace MlNetInverse.Physics.Rcwa;

/// <summary>
/// Rigorous coupled-wave analysis of a periodic stack whose one patterned layer is a pixel map, at normal incidence,
/// for x and y polarisation. Complex128 TorchSharp tensors; one eigen-decomposition per wavelength serves both
/// polarisations. Thread-safe: patterns may be simulated from several threads at once.
/// </summary>
public sealed class RcwaSolver
{
    /// <summary>Creates a solver for a validated stack.</summary>
    public RcwaSolver(OpticalStack stack)
    {
        ArgumentNullException.ThrowIfNull(stack);
        stack.Validate();
        Stack = stack;
    }

    /// <summary>The stack, wavelengths and solver settings.</summary>
    public OpticalStack Stack { get; }

    /// <summary>Simulates one pattern at every wavelength of the stack.</summary>
    public StackResponse Simulate(Microstructure pattern, CancellationToken cancellationToken = default)
        => throw new NotImplementedException();

    /// <summary>Simulates one pattern at one wavelength.</summary>
    public WavelengthResponse SimulateWavelength(Microstructure pattern, double wavelengthNm)
        => throw new NotImplementedException();

    /// <summary>Simulates many patterns in parallel (one pattern per thread, single-threaded linear algebra each).</summary>
    public IReadOnlyList<StackResponse> SimulateMany(IReadOnlyList<Microstructure> patterns, int threads = 1,
        IProgress<int>? completed = null, CancellationToken cancellationToken = default)
        => throw new NotImplementedException();
}
