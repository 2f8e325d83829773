using MlNetInverse.Models.VqVae;
using static MlNetInverse.Tests.Models.ModelTestData;
using static TorchSharp.torch;

namespace MlNetInverse.Tests.Models;

/// <summary>
/// What the two architectures with circular padding (residual, periodic) share: the peer's shapes at every latent grid,
/// an encoder that commutes with cyclic shifts of the unit cell (the zero-padded peer does not), and a bit-identical
/// save/load. The periodic decoder's own tests are in <see cref="PeriodicVqVaeTests"/>.
/// </summary>
public sealed class CircularVqVaeArchitectureTests
{
    private static VqVaeOptions Options(VqVaeArchitecture architecture, int grid) => new()
    {
        Architecture = architecture, LatentGridSize = grid, HiddenChannels = 4, CodebookSize = 16, CodeDimension = 5,
    };

    [Theory]
    [InlineData(VqVaeArchitecture.Residual, 16)]
    [InlineData(VqVaeArchitecture.Residual, 8)]
    [InlineData(VqVaeArchitecture.Residual, 4)]
    [InlineData(VqVaeArchitecture.Periodic, 16)]
    [InlineData(VqVaeArchitecture.Periodic, 8)]
    [InlineData(VqVaeArchitecture.Periodic, 4)]
    public void GivenACircularArchitecture_WhenRunForEachLatentGrid_ThenEveryStageHasThePeerShapes(VqVaeArchitecture architecture, int grid)
    {
        using var model = new VqVaeModel(Options(architecture, grid));
        model.eval();
        using var images = Images(2, 64, seed: 1);
        using var noGrad = no_grad();

        var output = model.call(images);

        Assert.Equal(new long[] { 2, 5, grid, grid }, model.Encode(images).shape);
        Assert.Equal(new long[] { 2, 1, 64, 64 }, output.Reconstruction.shape);
        Assert.All(Values(output.Reconstruction), p => Assert.InRange(p, 0f, 1f));
    }

    [Theory]
    [InlineData(VqVaeArchitecture.Residual)]
    [InlineData(VqVaeArchitecture.Periodic)]
    public void GivenACyclicallyShiftedImage_WhenEncodedWithCircularPadding_ThenTheLatentGridShiftsByWholeCells(VqVaeArchitecture architecture)
    {
        // The unit cell is periodic: shifting the image by one latent cell (8 pixels for G = 8) must shift the latent
        // grid by exactly one cell. Zero padding (the peer stacks) breaks this at the edges.
        using var model = new VqVaeModel(Options(architecture, 8));
        model.eval();
        using var noGrad = no_grad();
        using var images = Images(1, 64, seed: 3);
        using var shifted = images.roll(new long[] { 8, 16 }, new long[] { 2, 3 });

        using var expected = model.Encode(images).roll(new long[] { 1, 2 }, new long[] { 2, 3 });
        using var actual = model.Encode(shifted);

        Assert.True(allclose(expected, actual, rtol: 1e-5, atol: 1e-6), "latents of a shifted cell are not the shifted latents");
        using var peer = new VqVaeModel(Options(VqVaeArchitecture.Peer, 8));
        peer.eval();
        Assert.False(allclose(peer.Encode(images).roll(new long[] { 1, 2 }, new long[] { 2, 3 }), peer.Encode(shifted), rtol: 1e-5, atol: 1e-6));
    }

    [Theory]
    [InlineData(VqVaeArchitecture.Residual)]
    [InlineData(VqVaeArchitecture.Periodic)]
    public void GivenACircularModel_WhenSavedAndLoaded_ThenItsReconstructionsAreBitIdentical(VqVaeArchitecture architecture)
    {
        using var model = new VqVaeModel(Options(architecture, 8), seed: 7);
        model.eval();
        using var stream = new MemoryStream();
        model.Save(stream);
        stream.Position = 0;
        using var loaded = VqVaeModel.Load(stream);
        using var images = Images(3, 64, seed: 4);
        using var noGrad = no_grad();

        Assert.Equal(architecture, loaded.Options.Architecture);
        Assert.Equal(Values(model.call(images).Reconstruction), Values(loaded.call(images).Reconstruction));
    }
}
