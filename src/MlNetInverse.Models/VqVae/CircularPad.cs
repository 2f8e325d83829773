using TorchSharp;
using static TorchSharp.torch;

namespace MlNetInverse.Models.VqVae;

/// <summary>
/// Wraps <see cref="Cells"/> pixels of the opposite edges around both spatial axes of an [N, C, H, W] tensor, as the
/// periodic unit cell continues. A layer of its own (no parameters) so a transposed convolution after it can stay a
/// plain <see cref="TorchSharp.Modules.ConvTranspose2d"/> that the ONNX export translates.
/// </summary>
public sealed class CircularPad : nn.Module<Tensor, Tensor>
{
    /// <summary>Wraps <paramref name="cells"/> pixels (at least 1) onto each side.</summary>
    public CircularPad(int cells) : base(nameof(CircularPad))
    {
        if (cells < 1) throw new ArgumentOutOfRangeException(nameof(cells), cells, "Circular padding needs at least one cell.");
        Cells = cells;
    }

    /// <summary>Pixels wrapped onto each side.</summary>
    public int Cells { get; }

    /// <summary>The input with <see cref="Cells"/> wrapped pixels on every side: [N, C, H + 2 Cells, W + 2 Cells].</summary>
    public override Tensor forward(Tensor input) =>
        nn.functional.pad(input, new long[] { Cells, Cells, Cells, Cells }, PaddingModes.Circular);
}
