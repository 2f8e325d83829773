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

    [Fact]
    public void GivenThePeriodicDecoder_WhenCountedAsScoringDecodesCodeIndices_ThenTheFirstLayerCountsAsItsLookups()
    {
        // D = 8 on an 8x8 grid, H = 16, K = 16. Layers: 1x1 to 32 (512 x 32), 32->32 (8->16: 2,048 x 512), 32->16
        // (16->32: 8,192 x 256), 16->1 (32->64: 16,384 x 16). On the CPU the first upsampling layer is looked up per code:
        // 9 x 9 windows x 128 phase values x 4 adds, plus the code table (16 codes x 32 x 128 x 4) once per 512 designs.
        var options = new VqVaeOptions { Architecture = VqVaeArchitecture.Periodic, CodebookSize = 16, CodeDimension = 8, LatentGridSize = 8, HiddenChannels = 16 };
        using var model = new VqVaeModel(options);
        model.eval();
        long layers = 512L * 32 + 2048L * 512 + 8192L * 256 + 16384L * 16;
        long lookedUp = layers - 2048L * 512 + 9 * 9 * 128 * 4 + 16L * 32 * 128 * 4 / 512;

        Assert.Equal((lookedUp, layers), MultiplyAdds.OfIndexDecoding(model, imagesPerCall: 512));

        using var peer = new VqVaeModel(options with { Architecture = VqVaeArchitecture.Peer });
        peer.eval();
        long peerLayers = MultiplyAdds.During(peer, () => peer.Decode(zeros(1, 8, 8, 8)));
        Assert.Equal((peerLayers, peerLayers), MultiplyAdds.OfIndexDecoding(peer, imagesPerCall: 512));
    }
}
