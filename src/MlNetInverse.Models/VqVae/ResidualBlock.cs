using MlNetInverse.Physics.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MlNetInverse.Models.VqVae;

/// <summary>x + Conv1x1(ReLU(Conv3x3(ReLU(x)))) with circular padding, as in the VQ-VAE paper's residual stacks.</summary>
internal sealed class ResidualBlock : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d conv3;
    private readonly Conv2d conv1;

    public ResidualBlock(int channels, int hidden) : base(nameof(ResidualBlock))
    {
        conv3 = nn.Conv2d(channels, hidden, 3, padding: 1, padding_mode: PaddingModes.Circular);
        conv1 = nn.Conv2d(hidden, channels, 1);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var h = conv1.call(nn.functional.relu(conv3.call(nn.functional.relu(input))));
        return input.Plus(h).MoveToOuterDisposeScope();
    }
}
