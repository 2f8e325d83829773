using MlNetInverse.Models.VqVae;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetInverse.Tests.Models;

public sealed class CodePhaseTableTests
{
    private static PeriodicConvTranspose2d Layer(int inputs, int outputs, int seed)
    {
        var layer = new PeriodicConvTranspose2d(inputs, outputs);
        using (no_grad())
        {
            layer.Weight.copy_(randn(layer.Weight.shape, generator: new Generator((ulong)seed)));
            layer.Bias.copy_(randn(layer.Bias.shape, generator: new Generator((ulong)seed + 1000)));
        }
        return layer;
    }

    // What the convolution path computes for the first layer: the codes' projections per cell, one periodic line of
    // padding, the phase convolution, ReLU, and the interleave with the next layer's padding.
    private static Tensor Convolved(Tensor indices, Tensor projected, PeriodicConvTranspose2d layer)
    {
        long b = indices.shape[0], g = indices.shape[1];
        var cells = projected.index_select(0, indices.reshape(-1)).view(b, g, g, projected.shape[1]).permute(0, 3, 1, 2);
        var phases = layer.PhasesOfPadded(nn.functional.pad(cells, [1, 1, 1, 1], PaddingModes.Circular)).relu_();
        return PhaseInterleave.Interleave(phases, periodicPadding: true);
    }

    [Theory]
    [InlineData(1, 8, 4)]
    [InlineData(3, 16, 8)]
    [InlineData(8, 32, 16)]
    public void GivenCodeIndices_WhenTheFirstLayerIsLookedUp_ThenItEqualsTheConvolvedLayerToFloatRounding(int grid, int inputs, int outputs)
    {
        // Grid 1 wraps every window onto the one cell; grid 3 is odd, so the periodic padding's opposite lines differ in parity.
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var layer = Layer(inputs, outputs, seed: grid);
        var projected = rand(new long[] { 12, inputs }, generator: new Generator(7));
        var indices = randint(0, 12, new long[] { 5, grid, grid }, generator: new Generator(8));

        var lookedUp = CodePhaseTable.PaddedActivations(indices, CodePhaseTable.Taps(projected, layer), layer.Bias, threads: 2);
        var convolved = Convolved(indices, projected, layer);

        Assert.Equal(convolved.shape, lookedUp.shape);
        float largest = lookedUp.sub(convolved).abs().max().item<float>();
        Assert.True(largest <= 1e-5f * Math.Max(1f, convolved.abs().max().item<float>()), $"largest difference {largest:E2}");
        Assert.True(lookedUp.ge(0).all().item<bool>(), "ReLU left a negative value");
    }

    [Fact]
    public void GivenOneDesign_WhenLookedUpAloneOrInABatchOnAnyThreadCount_ThenItsValuesAreTheSameBitForBit()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var layer = Layer(8, 4, seed: 3);
        var taps = CodePhaseTable.Taps(rand(new long[] { 6, 8 }, generator: new Generator(4)), layer);
        var indices = randint(0, 6, new long[] { 9, 4, 4 }, generator: new Generator(5));

        var batch = CodePhaseTable.PaddedActivations(indices, taps, layer.Bias, threads: 2);
        var alone = CodePhaseTable.PaddedActivations(indices.narrow(0, 6, 1), taps, layer.Bias, threads: 1);

        Assert.True(batch.narrow(0, 6, 1).eq(alone).all().item<bool>());
        Assert.True(batch.eq(CodePhaseTable.PaddedActivations(indices, taps, layer.Bias, threads: 1)).all().item<bool>());
    }

    [Fact]
    public void GivenNoDesigns_WhenLookedUp_ThenTheOutputIsEmptyWithTheLayersShape()
    {
        using var scope = NewDisposeScope();
        var layer = Layer(8, 4, seed: 1);
        var taps = CodePhaseTable.Taps(rand(new long[] { 3, 8 }), layer);

        var none = CodePhaseTable.PaddedActivations(zeros(new long[] { 0, 4, 4 }, ScalarType.Int64), taps, layer.Bias, threads: 2);

        Assert.Equal(new long[] { 0, 4, 10, 10 }, none.shape);
    }
}
