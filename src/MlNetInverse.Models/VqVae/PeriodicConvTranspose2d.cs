using MlNetInverse.Physics.Runtime;
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
        Fold(full, dimension: 2);
        Fold(full, dimension: 3);
        // The bias add writes the only new tensor: the folds work in place on the edge lines.
        return full.narrow(2, 1, full.shape[2] - 2).narrow(3, 1, full.shape[3] - 2).Plus(_bias.view(1, -1, 1, 1)).MoveToOuterDisposeScope();
    }

    // Output line f of the unpadded layer is periodic line (f - 1) mod 2n: line 2n + 1 belongs on line 1 and line 0 on
    // line 2n; lines 0 and 2n + 1 are dropped afterwards.
    private static void Fold(Tensor full, int dimension)
    {
        long last = full.shape[dimension] - 1;
        full.narrow(dimension, 1, 1).PlusInPlace(full.narrow(dimension, last, 1));
        full.narrow(dimension, last - 1, 1).PlusInPlace(full.narrow(dimension, 0, 1));
    }
}
