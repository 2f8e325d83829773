using MlNetInverse.Physics.Microstructures;

namespace MlNetInverse.Physics.Datasets;

/// <summary>One row of a microstructure dataset: a GRF map and its RCWA labels.</summary>
/// <param name="Id">Sample id (0-based, unique in the file).</param>
/// <param name="Parameters">GRF parameters the map was drawn with.</param>
/// <param name="Seed">GRF noise seed of the map.</param>
/// <param name="Absorption">The property label: mean over the stack's wavelengths of the patterned-layer absorption.</param>
/// <param name="Map">The binary microstructure.</param>
/// <param name="WavelengthAbsorptions">Patterned-layer absorption per stack wavelength, in the stack's order.</param>
public sealed record MicrostructureRecord(
    long Id,
    GrfParameters Parameters,
    long Seed,
    double Absorption,
    Microstructure Map,
    IReadOnlyList<double> WavelengthAbsorptions);
