using MlNetInverse.Models.VqVae;
using TorchSharp;
using static MlNetInverse.Tests.Models.ModelTestData;
using static TorchSharp.torch;

namespace MlNetInverse.Tests.Models;

public sealed class ResidualVqVaeTests
{
    private static VqVaeOptions Residual(int grid) => new()
    {
        Architecture = VqVaeArchitecture.Residual, LatentGridSize = grid, HiddenChannels = 4, CodebookSize = 16, CodeDimension = 5,
    };

    [Theory]
    [InlineData(16)]
    [InlineData(8)]
    [InlineData(4)]
    public void GivenTheResidualArchitecture_WhenRunForEachLatentGrid_ThenEveryStageHasTheDocumentedShape(int grid)
    {
        using var model = new VqVaeModel(Residual(grid));
        model.eval();
        using var images = Images(2, 64, seed: 1);
        using var noGrad = no_grad();

        var output = model.call(images);

        Assert.Equal(new long[] { 2, 5, grid, grid }, model.Encode(images).shape);
        Assert.Equal(new long[] { 2, 1, 64, 64 }, output.Reconstruction.shape);
        Assert.All(Values(output.Reconstruction), p => Assert.InRange(p, 0f, 1f));
    }

    [Fact]
    public void GivenACyclicallyShiftedImage_WhenEncodedWithCircularPadding_ThenTheLatentGridShiftsByWholeCells()
    {
        // The unit cell is periodic: shifting the image by one latent cell (8 pixels for G = 8) must shift the latent
        // grid by exactly one cell. Zero padding (the peer stacks) breaks this at the edges.
        using var model = new VqVaeModel(Residual(8));
        model.eval();
        using var noGrad = no_grad();
        using var images = Images(1, 64, seed: 3);
        using var shifted = images.roll(new long[] { 8, 16 }, new long[] { 2, 3 });

        using var expected = model.Encode(images).roll(new long[] { 1, 2 }, new long[] { 2, 3 });
        using var actual = model.Encode(shifted);

        Assert.True(allclose(expected, actual, rtol: 1e-5, atol: 1e-6), "latents of a shifted cell are not the shifted latents");
        using var peer = new VqVaeModel(Residual(8) with { Architecture = VqVaeArchitecture.Peer });
        peer.eval();
        Assert.False(allclose(peer.Encode(images).roll(new long[] { 1, 2 }, new long[] { 2, 3 }), peer.Encode(shifted), rtol: 1e-5, atol: 1e-6));
    }

    [Fact]
    public void GivenAResidualModel_WhenSavedAndLoaded_ThenItsReconstructionsAreBitIdentical()
    {
        using var model = new VqVaeModel(Residual(8), seed: 7);
        model.eval();
        using var stream = new MemoryStream();
        model.Save(stream);
        stream.Position = 0;
        using var loaded = VqVaeModel.Load(stream);
        using var images = Images(3, 64, seed: 4);
        using var noGrad = no_grad();

        Assert.Equal(VqVaeArchitecture.Residual, loaded.Options.Architecture);
        Assert.Equal(Values(model.call(images).Reconstruction), Values(loaded.call(images).Reconstruction));
    }
}
