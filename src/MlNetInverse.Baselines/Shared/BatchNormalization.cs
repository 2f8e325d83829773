using MlNetInverse.Physics.Runtime;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace MlNetInverse.Baselines.Shared;

/// <summary>
/// TorchSharp's batch normalization (same parameters, buffers, names and numbers) whose training step counts batches
/// with a held scalar: the stock forward's <c>num_batches_tracked.add_(1)</c> makes two temporary Scalars a collection on
/// another thread can free mid-call (see <see cref="TensorArithmetic"/>).
/// </summary>
internal sealed class BatchNormalization : BatchNorm
{
    private readonly int[] _inputDimensions;

    private BatchNormalization(long features, bool affine, string name, params int[] inputDimensions)
        : base(features, eps: 1e-5, momentum: 0.1, affine, track_running_stats: true, device: null, dtype: null, name) =>
        _inputDimensions = inputDimensions;

    /// <summary>Over [B, C] or [B, C, L] inputs, as <c>nn.BatchNorm1d</c>.</summary>
    public static BatchNormalization OneD(long features, bool affine = true) => new(features, affine, "BatchNorm1d", 2, 3);

    /// <summary>Over [B, C, H, W] inputs, as <c>nn.BatchNorm2d</c>.</summary>
    public static BatchNormalization TwoD(long features) => new(features, affine: true, "BatchNorm2d", 4);

    public override Tensor forward(Tensor input)
    {
        ValidateInputDimensions(input);
        if (training) num_batches_tracked!.PlusInPlace(HeldScalar.Of(1));
        return F.batch_norm(input, running_mean, running_var, affine ? weight : null, bias, training, momentum!.Value, eps);
    }

    protected override void ValidateInputDimensions(Tensor input)
    {
        if (!_inputDimensions.Contains((int)input.dim()))
            throw new ArgumentException($"{GetName()} expects a {string.Join(" or ", _inputDimensions)}-dimensional input, got {input.dim()} dimensions.", nameof(input));
    }
}
