using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace MlNetInverse.Models.VqVae;

/// <summary>
/// A 4x4 stride-2 transposed convolution of a periodic cell: n x n in, 2n x 2n out, every input cell contributing
/// across the cell edge as it would in an infinite periodic film. Computed as the plain transposed convolution without
/// padding (2n + 2 outputs per axis) whose two overhanging lines are folded back onto the opposite edge, so it costs
/// the same multiply-adds as the peer's zero-padded layer. The bias is added once, after the fold.
/// </summary>
public sealed class PeriodicConvTranspose2d : nn.Module<Tensor, Tensor>
{
    /// <summary>Kernel edge (pixels).</summary>
    public const int KernelSize = 4;

    /// <summary>Upsampling factor.</summary>
    public const int Stride = 2;

    // Named "weight" and "bias" with PyTorch's ConvTranspose2d layout [in, out, k, k], so state_dict keys and the
    // seeded initializer treat it like the layer it generalises.
    [ComponentName(Name = "weight")] private readonly Parameter _weight;
    [ComponentName(Name = "bias")] private readonly Parameter _bias;

    /// <summary>A layer from <paramref name="inputChannels"/> to <paramref name="outputChannels"/> channels (weights to be initialized by the owner).</summary>
    public PeriodicConvTranspose2d(int inputChannels, int outputChannels) : base(nameof(PeriodicConvTranspose2d))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputChannels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outputChannels, 1);
        _weight = new Parameter(zeros(inputChannels, outputChannels, KernelSize, KernelSize));
        _bias = new Parameter(zeros(outputChannels));
        RegisterComponents();
    }

    /// <summary>Weights [in, out, 4, 4].</summary>
    public Tensor Weight => _weight;

    /// <summary>Bias [out].</summary>
    public Tensor Bias => _bias;

    /// <summary>[N, in, n, n] -> [N, out, 2n, 2n].</summary>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var full = nn.functional.conv_transpose2d(input, _weight, bias: null, strides: [Stride, Stride]);
        var folded = Fold(Fold(full, dimension: 2), dimension: 3);
        return folded.add(_bias.view(1, -1, 1, 1)).MoveToOuterDisposeScope();
    }

    // Output line f of the unpadded layer is periodic line (f - 1) mod 2n: keep lines 1 .. 2n, add line 2n + 1 onto the
    // first and line 0 onto the last.
    private static Tensor Fold(Tensor full, int dimension)
    {
        long size = full.shape[dimension] - 2;
        var inner = full.narrow(dimension, 1, size).clone();
        inner.narrow(dimension, 0, 1).add_(full.narrow(dimension, size + 1, 1));
        inner.narrow(dimension, size - 1, 1).add_(full.narrow(dimension, 0, 1));
        return inner;
    }
}
