using System.Globalization;

namespace MlNetInverse.Models.CodePrior;

/// <summary>
/// Architecture of a <see cref="MaskedCodePrior"/>: a bidirectional transformer over the G x G grid of VQ-VAE code
/// indices, conditioned on absorption, that predicts the code of every masked cell.
/// </summary>
public sealed record CodePriorOptions
{
    /// <summary>Codes K in the VQ-VAE's codebook. Default 0: taken from the VQ-VAE by the trainer; a model needs at least 2.</summary>
    public int CodebookSize { get; init; }

    /// <summary>Edge G of the latent grid (G x G cells). Default 0: taken from the VQ-VAE; a model needs at least 1.</summary>
    public int GridSize { get; init; }

    /// <summary>Width of every cell's embedding (width). Default 96.</summary>
    public int Width { get; init; } = 96;

    /// <summary>Transformer blocks (layers). Default 3.</summary>
    public int Layers { get; init; } = 3;

    /// <summary>Attention heads per block (heads); <see cref="Width"/> must divide by it. Default 4.</summary>
    public int Heads { get; init; } = 4;

    /// <summary>Cells of the grid (G x G), the sequence length.</summary>
    public int Cells => GridSize * GridSize;

    /// <summary>Checks every option; <see cref="CodebookSize"/> and <see cref="GridSize"/> 0 (from the VQ-VAE) pass.</summary>
    /// <exception cref="ArgumentException">An option is out of range; the message names it, its value and what is allowed.</exception>
    public void Validate()
    {
        if (CodebookSize < 0 || CodebookSize == 1) throw Bad(nameof(CodebookSize), CodebookSize, "0 (from the VQ-VAE) or at least 2");
        if (GridSize < 0) throw Bad(nameof(GridSize), GridSize, "0 (from the VQ-VAE) or at least 1");
        if (Width < 1) throw Bad(nameof(Width), Width, "at least 1");
        if (Layers < 1) throw Bad(nameof(Layers), Layers, "at least 1");
        if (Heads < 1 || Width % Heads != 0) throw Bad(nameof(Heads), Heads, $"at least 1 and a divisor of Width ({Width})");
    }

    /// <summary>Checks the options a model is built from: those of <see cref="Validate"/>, with K and G known.</summary>
    public void ValidateForModel()
    {
        Validate();
        if (CodebookSize < 2) throw Bad(nameof(CodebookSize), CodebookSize, "at least 2 for a model (set it from the VQ-VAE)");
        if (GridSize < 1) throw Bad(nameof(GridSize), GridSize, "at least 1 for a model (set it from the VQ-VAE)");
    }

    private static ArgumentException Bad(string name, object value, string allowed) =>
        new(string.Create(CultureInfo.InvariantCulture, $"CodePriorOptions.{name} is {value}; it must be {allowed}."), name);
}
