using MlNetInverse.Models.VqVae;
using MlNetInverse.Physics.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static MlNetInverse.Tests.Models.ModelTestData;
using static TorchSharp.torch;

namespace MlNetInverse.Tests.Models;

public sealed class PeriodicVqVaeTests
{
    private static VqVaeOptions Periodic(int grid) => new()
    {
        Architecture = VqVaeArchitecture.Periodic, LatentGridSize = grid, HiddenChannels = 4, CodebookSize = 16, CodeDimension = 5,
    };

    [Fact]
    public void GivenALatentGridShiftedByOneCell_WhenDecoded_ThenTheImageShiftsByWholeCellsWhereThePeerDecoderDoesNot()
    {
        // One latent cell is 8 pixels at G = 8: a periodic decoder commutes with cyclic shifts; a zero-padded one
        // paints the cell edge differently depending on where the pattern sits.
        using var model = new VqVaeModel(Periodic(8), seed: 2);
        model.eval();
        using var noGrad = no_grad();
        using var latents = randn(new long[] { 1, 5, 8, 8 }, generator: new Generator(3));
        using var shifted = latents.roll(new long[] { 1, 3 }, new long[] { 2, 3 });

        using var expected = model.Decode(latents).roll(new long[] { 8, 24 }, new long[] { 2, 3 });
        using var actual = model.Decode(shifted);

        Assert.True(allclose(expected, actual, rtol: 1e-5, atol: 1e-6), "the decoded image of a shifted latent grid is not the shifted image");
        using var peer = new VqVaeModel(Periodic(8) with { Architecture = VqVaeArchitecture.Peer }, seed: 2);
        peer.eval();
        Assert.False(allclose(peer.Decode(latents).roll(new long[] { 8, 24 }, new long[] { 2, 3 }), peer.Decode(shifted), rtol: 1e-5, atol: 1e-6));
    }

    [Fact]
    public void GivenAPeriodicDecoder_WhenDecoding_ThenItEqualsTheCentreOfTheZeroPaddedDecodingOfATiledLatentGrid()
    {
        // The cell repeated 3x3 and decoded with the peer's zero-padded transposed convolutions: far from the border the
        // zeros cannot be seen, so the centre cell is what an infinite periodic film decodes to.
        using var model = new VqVaeModel(Periodic(8), seed: 4);
        model.eval();
        using var noGrad = no_grad();
        using var latents = randn(new long[] { 2, 5, 8, 8 }, generator: new Generator(5));
        using var tiled = latents.tile(new long[] { 1, 1, 3, 3 });

        Tensor reference = tiled.alias();
        foreach (var (_, layer) in model.named_children().Where(c => c.name == "decoder").SelectMany(c => c.module.named_children()))
        {
            reference = layer switch
            {
                // The peer's zero-padded geometry with the periodic layer's weights.
                PeriodicConvTranspose2d p => nn.functional.conv_transpose2d(reference, p.Weight, p.Bias, strides: [2, 2], padding: [1, 1]),
                nn.Module<Tensor, Tensor> m => m.call(reference),
                _ => throw new InvalidOperationException(layer.GetType().Name),
            };
        }
        using var centre = reference[.., .., 64..128, 64..128];
        using var decoded = model.Decode(latents);

        Assert.True(allclose(centre, decoded, rtol: 1e-4, atol: 1e-5), $"largest difference {(centre - decoded).abs().max().item<float>():E2}");
    }

    [Fact]
    public void GivenAPeriodicTransposedConvolution_WhenTrained_ThenOutputAndGradientsEqualThoseOfAWrappedInputCroppedByThree()
    {
        // The in-place fold must not disturb autograd: the same layer written as wrap one cell, transpose-convolve and
        // crop three (padding 3) is the reference for values and for the gradients of input, weight and bias.
        using var layer = new PeriodicConvTranspose2d(3, 2);
        using (no_grad())
        {
            layer.Weight.copy_(randn(layer.Weight.shape, generator: new Generator(6)));
            layer.Bias.copy_(randn(layer.Bias.shape, generator: new Generator(7)));
        }
        using var input = randn(new long[] { 2, 3, 5, 5 }, generator: new Generator(8)).requires_grad_();
        using var probe = randn(new long[] { 2, 2, 10, 10 }, generator: new Generator(9));

        var folded = layer.call(input);
        var (inputGrad, weightGrad, biasGrad) = Gradients(folded);
        var reference = nn.functional.conv_transpose2d(
            nn.functional.pad(input, new long[] { 1, 1, 1, 1 }, PaddingModes.Circular), layer.Weight, layer.Bias, strides: [2, 2], padding: [3, 3]);
        var (referenceInputGrad, referenceWeightGrad, referenceBiasGrad) = Gradients(reference);

        Assert.True(allclose(reference, folded, rtol: 1e-5, atol: 1e-5), "values differ");
        Assert.True(allclose(referenceInputGrad, inputGrad, rtol: 1e-5, atol: 1e-5), "input gradients differ");
        Assert.True(allclose(referenceWeightGrad, weightGrad, rtol: 1e-5, atol: 1e-5), "weight gradients differ");
        Assert.True(allclose(referenceBiasGrad, biasGrad, rtol: 1e-5, atol: 1e-5), "bias gradients differ");

        (Tensor, Tensor, Tensor) Gradients(Tensor output)
        {
            using var cleared = ZeroFilledCpuAllocations.Hold();
            var grads = autograd.grad([(output * probe).sum()], [input, layer.Weight, layer.Bias]);
            return (grads[0], grads[1], grads[2]);
        }
    }

    [Theory]
    [InlineData(3, 2, 5)]
    [InlineData(4, 1, 8)]
    [InlineData(2, 3, 1)]
    public void GivenAPeriodicTransposedConvolution_WhenComputedByPhases_ThenItEqualsTheTransposedForm(int inputs, int outputs, int size)
    {
        // Decoding runs the layer as four 2x2 phase kernels (a faster kernel on CPU); it must be the same map as the
        // folded transposed convolution the layer trains with, at every size down to a 1x1 input.
        using var layer = RandomLayer(inputs, outputs, seed: 10);
        using var noGrad = no_grad();
        using var input = randn(new long[] { 2, inputs, size, size }, generator: new Generator(11));

        using var phases = layer.ForwardByPhases(input);
        using var transposed = layer.TransposedForward(input);

        Assert.Equal(new long[] { 2, outputs, 2 * size, 2 * size }, phases.shape);
        Assert.True(allclose(transposed, phases, rtol: 1e-5, atol: 1e-5), $"largest difference {(transposed - phases).abs().max().item<float>():E2}");
    }

    [Fact]
    public void GivenThePeriodicLayer_WhenCalledWithAndWithoutGradients_ThenDecodingTakesThePhasesAndTrainingTheTransposedForm()
    {
        using var layer = RandomLayer(3, 2, seed: 12);
        using var input = randn(new long[] { 2, 3, 4, 4 }, generator: new Generator(13));

        using (no_grad())
        {
            using var decoded = layer.call(input);
            using var phases = layer.ForwardByPhases(input);
            Assert.True(decoded.eq(phases).all().item<bool>(), "without gradients the layer did not run by phases");
        }
        using var trained = layer.call(input);
        using (no_grad())
        {
            using var transposed = layer.TransposedForward(input);
            Assert.True(trained.eq(transposed).all().item<bool>(), "with gradients the layer did not run as the transposed convolution");
        }
        Assert.True(trained.requires_grad);
    }

    private static PeriodicConvTranspose2d RandomLayer(int inputs, int outputs, int seed)
    {
        var layer = new PeriodicConvTranspose2d(inputs, outputs);
        using (no_grad())
        {
            layer.Weight.copy_(randn(layer.Weight.shape, generator: new Generator((ulong)seed)));
            layer.Bias.copy_(randn(layer.Bias.shape, generator: new Generator((ulong)seed + 1000)));
        }
        return layer;
    }

    // No layer with 10-36 input channels that are not a multiple of 8: on the AVX-512 Zen 5 VMs libtorch's oneDNN
    // convolutions return wrong values, at times NaN, for those (README, Platform notes), which made both paths NaN at
    // hidden 6 (12-channel layers) and the comparison meaningless. Hidden 4 keeps the 16x16 grid with 8- and 4-channel layers.
    [Theory]
    [InlineData(8, 8, 16)]
    [InlineData(5, 4, 4)]
    [InlineData(3, 16, 4)]
    public void GivenAPeriodicVqVae_WhenDecodedWithoutGradients_ThenTheScoringChainGivesTheLayersValues(int codeDimension, int grid, int hidden)
    {
        // Scoring decodes through PeriodicDecoding (activations in place on the phases, one strided interleave); the
        // images it binarizes must be the ones the layer-by-layer decoder paints: bit for bit from latents, and from code
        // indices, where the first layer is a per-code lookup summed in another order, to float rounding.
        var options = new VqVaeOptions
        {
            Architecture = VqVaeArchitecture.Periodic, LatentGridSize = grid, HiddenChannels = hidden, CodebookSize = 16, CodeDimension = codeDimension,
        };
        using var model = new VqVaeModel(options, seed: 4);
        model.eval();
        using var noGrad = no_grad();
        using var latents = randn(new long[] { 3, codeDimension, grid, grid }, generator: new Generator(5));

        using var chained = model.Decode(latents);
        using var layered = model.DecodeByLayers(latents);

        Assert.Equal(new long[] { 3, 1, 64, 64 }, chained.shape);
        Assert.True(chained.eq(layered).all().item<bool>(), $"largest difference {(chained - layered).abs().max().item<float>():E2}");

        using var indices = model.Quantizer.NearestIndices(latents);
        using var fromIndices = model.DecodeIndices(indices);
        using var fromCodes = model.DecodeByLayers(model.Quantizer.Lookup(indices));
        float largest = (fromIndices - fromCodes).abs().max().item<float>();
        Assert.True(largest <= 1e-5f, $"largest difference from indices {largest:E2}");
        using var none = model.DecodeContinuous(zeros(new long[] { 0, codeDimension, grid, grid }));
        Assert.Equal(new long[] { 0, 1, 64, 64 }, none.shape);
        Assert.NotNull(PeriodicDecoding.For((Sequential)model.named_children().Single(c => c.name == "decoder").module));
    }

    [Fact]
    public void GivenThePeerDecoder_WhenAskedForThePeriodicChain_ThenThereIsNone()
    {
        using var model = new VqVaeModel(Periodic(8) with { Architecture = VqVaeArchitecture.Peer }, seed: 2);
        Assert.Null(PeriodicDecoding.For((Sequential)model.named_children().Single(c => c.name == "decoder").module));
    }

    [Theory]
    [InlineData(1, 2, false, 1)]
    [InlineData(5, 3, true, 1)]
    [InlineData(8, 2, true, 1)]
    [InlineData(13, 1, false, 1)]
    [InlineData(16, 2, true, 1)]
    [InlineData(16, 7, true, 2)] // 14 planes over two threads: tasks of one plane, none left out or written twice
    [InlineData(9, 13, false, 2)] // 26 planes: tasks of three, the last one short
    public void GivenLayerPhases_WhenInterleaved_ThenEachPixelIsItsPhaseAtItsWindow_AndThePaddingIsTheOppositeEdge(int size, int channels, bool padded, int threads)
    {
        using var phases = randn(new long[] { 2, 4 * channels, size + 1, size + 1 }, generator: new Generator(6));
        using var threadScope = new MlNetInverse.Physics.Runtime.TorchThreadScope(threads);

        using var actual = PhaseInterleave.Interleave(phases, padded);

        int pad = padded ? 1 : 0, full = 2 * size;
        Assert.Equal(new long[] { 2, channels, full + 2 * pad, full + 2 * pad }, actual.shape);
        var expected = new float[actual.numel()];
        var values = phases.data<float>().ToArray();
        int edge = full + 2 * pad, window = size + 1;
        for (int n = 0; n < 2; n++)
            for (int c = 0; c < channels; c++)
                for (int y = 0; y < edge; y++)
                    for (int x = 0; x < edge; x++)
                    {
                        // Output pixel (2i + r, 2j + s) of the cell is phase 2r + s at window (i + r, j + s).
                        int line = ((y - pad) % full + full) % full, column = ((x - pad) % full + full) % full;
                        int i = line / 2, r = line % 2, j = column / 2, s = column % 2;
                        expected[((n * channels + c) * edge + y) * edge + x] = values[(((n * 4 * channels) + 4 * c + 2 * r + s) * window + i + r) * window + j + s];
                    }
        Assert.Equal(expected, actual.data<float>().ToArray());

        // A strided (non-contiguous) tensor takes torch's copy and pad: the same values.
        using var strided = phases.transpose(2, 3).contiguous().transpose(2, 3);
        Assert.Equal(expected, PhaseInterleave.Interleave(strided, padded).data<float>().ToArray());
    }
}
