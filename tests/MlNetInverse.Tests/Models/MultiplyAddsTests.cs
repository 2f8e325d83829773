using MlNetInverse.Models.Benchmarks;
using MlNetInverse.Models.VqVae;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetInverse.Tests.Models;

public sealed class MultiplyAddsTests
{
    [Fact]
    public void GivenAConvolutionATransposedConvolutionAndALinearLayer_WhenCounted_ThenEachGivesItsTextbookCount()
    {
        using var conv = nn.Conv2d(1, 4, 3, padding: 1);
        using var transposed = nn.ConvTranspose2d(2, 3, 4, stride: 2, padding: 1);
        using var linear = nn.Linear(5, 7);
        using var noGrad = no_grad();

        // 4 x 8 x 8 outputs, each 1 x 3 x 3 products; 2 x 4 x 4 inputs, each scattered into 3 x 4 x 4; 2 x 7 outputs of 5 products.
        Assert.Equal(4 * 64 * 9, MultiplyAdds.During(conv, () => conv.call(zeros(1, 1, 8, 8))));
        Assert.Equal(2 * 16 * 3 * 16, MultiplyAdds.During(transposed, () => transposed.call(zeros(1, 2, 4, 4))));
        Assert.Equal(2 * 7 * 5, MultiplyAdds.During(linear, () => linear.call(zeros(2, 5))));
    }

    [Fact]
    public void GivenThePeerDecoder_WhenCounted_ThenItIsTheSumOverItsLayersAndThePeriodicOneCostsTheSame()
    {
        // D = 8 on an 8x8 grid, H = 32: 1x1 to 64 channels, then 64->64 (8->16), 64->32 (16->32), 32->1 (32->64), 4x4 kernels.
        var options = new VqVaeOptions { CodebookSize = 16, CodeDimension = 8, LatentGridSize = 8, HiddenChannels = 32 };
        using var model = new VqVaeModel(options);
        model.eval();
        using var noGrad = no_grad();
        long expected = 64L * 8 * 64 + 64L * 64 * 64 * 16 + 256L * 64 * 32 * 16 + 1024L * 32 * 1 * 16;

        Assert.Equal(expected, MultiplyAdds.During(model, () => model.Decode(zeros(1, 8, 8, 8))));
        // The periodic decoder folds its overhang instead of padding its input: the same work. Counted layer by layer:
        // without gradients Decode runs the same layers as PeriodicDecoding, past their hooks.
        using var periodic = new VqVaeModel(options with { Architecture = VqVaeArchitecture.Periodic });
        periodic.eval();
        Assert.Equal(expected, MultiplyAdds.During(periodic, () => periodic.DecodeByLayers(zeros(1, 8, 8, 8))));
    }
}
