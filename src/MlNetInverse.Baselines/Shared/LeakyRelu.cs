using MlNetInverse.Physics.Runtime;
using static TorchSharp.torch;

namespace MlNetInverse.Baselines.Shared;

/// <summary>
/// <c>nn.LeakyReLU</c> with its slope held: the stock module converts the slope to a temporary Scalar on every call,
/// which a collection on another thread can free mid-call (see <see cref="TensorArithmetic"/>).
/// </summary>
internal sealed class LeakyRelu(double negativeSlope) : nn.Module<Tensor, Tensor>("LeakyReLU")
{
    public override Tensor forward(Tensor input) => input.leaky_relu(HeldScalar.Of(negativeSlope));
}
