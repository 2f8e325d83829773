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

    /// <summary>
    /// [N, in, n, n] -> [N, out, 2n, 2n]. With gradients off (decoding, scoring) it runs as <see cref="ForwardByPhases(Tensor)"/>,
    /// the same map by faster kernels; training keeps the transposed convolution, so trained weights do not change.
    /// </summary>
    public override Tensor forward(Tensor input) => is_grad_enabled() ? TransposedForward(input) : ForwardByPhases(input);

    /// <summary>The layer as its definition reads: unpadded transposed convolution, overhang folded onto the opposite edge.</summary>
    public Tensor TransposedForward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var full = nn.functional.conv_transpose2d(input, _weight, bias: null, strides: [Stride, Stride]);
        Fold(full, dimension: 2);
        Fold(full, dimension: 3);
        // The bias add writes the only new tensor: the folds work in place on the edge lines.
        return full.narrow(2, 1, full.shape[2] - 2).narrow(3, 1, full.shape[3] - 2).Plus(_bias.view(1, -1, 1, 1)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The same map computed per output phase: pixel (2i + r, 2j + s) of the layer sees only the 2x2 inputs around
    /// (i, j) that phase (r, s) reaches, through 4 of the 16 kernel taps. One 2x2 convolution with 4 x out channels over
    /// the input padded by one periodic line per side gives all four phases on an (n + 1)^2 grid; phase (r, s) is its
    /// window offset by (r, s), interleaved into the output (sub-pixel convolution). Same multiply-adds (times
    /// (n + 1)^2 / n^2), but forward 2x2 convolutions run faster on CPU backends than transposed ones at these widths,
    /// most of all into 1 channel (bench score). Equal up to float rounding; no gradient is taken through it.
    /// </summary>
    public Tensor ForwardByPhases(Tensor input)
    {
        using var scope = NewDisposeScope();
        var padded = nn.functional.pad(input, [1, 1, 1, 1], PaddingModes.Circular);
        return PhaseInterleave.Interleave(PhasesOfPadded(padded), periodicPadding: false).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The four phases [N, 4 x out, n + 1, n + 1] (channel c x 4 + 2r + s) of an input already padded by one periodic
    /// line per side [N, in, n + 2, n + 2]; <see cref="PhaseInterleave"/> puts them together.
    /// </summary>
    internal Tensor PhasesOfPadded(Tensor padded)
    {
        using var scope = NewDisposeScope();
        return nn.functional.conv2d(padded, PhaseWeight(), _bias.repeat_interleave(4)).MoveToOuterDisposeScope();
    }

    // Along each axis, output phase r at padded-input offset t (0, 1) uses kernel tap 3 - 2t for r = 0, 2 - 2t for r = 1.
    private static readonly long[] PhaseTaps = [3, 1, 2, 0];

    /// <summary>The weights as four 2x2 phase kernels: [4 x out, in, 2, 2], channel c x 4 + 2r + s.</summary>
    internal Tensor PhaseWeight()
    {
        using var scope = NewDisposeScope();
        long input = _weight.shape[0], output = _weight.shape[1];
        var taps = tensor(PhaseTaps, device: _weight.device);
        var phased = _weight.index_select(2, taps).index_select(3, taps).view(input, output, 2, 2, 2, 2);
        return phased.permute(1, 2, 4, 0, 3, 5).reshape(output * 4, input, 2, 2).MoveToOuterDisposeScope();
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
