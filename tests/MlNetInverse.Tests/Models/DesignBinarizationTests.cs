using Microsoft.ML.OnnxRuntime;
using MlNetInverse.ML.Onnx;
using MlNetInverse.Models.VqVae;
using MlNetInverse.Physics.Microstructures;
using MlNetInverse.Physics.Morphology;
using static TorchSharp.torch;
using DataType = Onnx.TensorProto.Types.DataType;

namespace MlNetInverse.Tests.Models;

public sealed class DesignBinarizationTests
{
    private const int Size = 16;

    private static float[] Binarize(float[] probabilities, int size = Size)
    {
        using var input = tensor(probabilities, [1, 1, size, size]);
        using var designs = DesignBinarization.Binarize(input);
        return designs.data<float>().ToArray();
    }

    private static float[] WithoutSpeckle(float[] probabilities, int size = Size)
    {
        using var input = tensor(probabilities, [1, 1, size, size]);
        using var designs = DesignBinarization.WithoutSpeckle(input);
        return designs.data<float>().ToArray();
    }

    private static float[] Uniform(float value) => Enumerable.Repeat(value, Size * Size).ToArray();

    [Theory]
    [InlineData(0, 0)]
    [InlineData(5, 9)]
    [InlineData(15, 15)]
    public void GivenOnePixelOfEitherPhaseInTheOther_WhenBinarized_ThenItJoinsItsSurroundingsAlsoAcrossTheCellEdge(int x, int y)
    {
        var particle = Uniform(0f);
        particle[x * Size + y] = 0.9f;
        var hole = Uniform(1f);
        hole[x * Size + y] = 0.1f;

        Assert.Equal(Uniform(0f), Binarize(particle));
        Assert.Equal(Uniform(1f), Binarize(hole));
    }

    [Fact]
    public void GivenACheckerboard_WhenBinarized_ThenEveryPixelWasIsolatedAndTheIsolatedAPixelsGoFirst()
    {
        var board = Enumerable.Range(0, Size * Size).Select(i => (i / Size + i % Size) % 2 == 0 ? 1f : 0f).ToArray();

        // Every pixel is isolated: the A pass clears the board, after which no B pixel is surrounded by A.
        Assert.Equal(Size * Size, IsolatedPixels.Count(Microstructure.FromPixels(board, Size)));
        Assert.Equal(Uniform(0f), Binarize(board));
    }

    [Fact]
    public void GivenSmoothStripesAndAPixelPair_WhenBinarized_ThenOnlyThresholdingHappens()
    {
        // Stripes 4 pixels wide, a two-pixel particle (neither pixel isolated) and probabilities on both sides of 0.5.
        var map = Enumerable.Range(0, Size * Size).Select(i => i % Size / 4 % 2 == 0 ? 0.8f : 0.2f).ToArray();
        map[2 * Size + 5] = 0.7f;
        map[2 * Size + 6] = 0.6f;
        map[3 * Size + 0] = 0.5f; // exactly 0.5 is material B

        var expected = map.Select(p => p > 0.5f ? 1f : 0f).ToArray();
        Assert.Equal(expected, Binarize(map));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void GivenRandomMaps_WhenSpeckleIsRemoved_ThenNoPixelIsIsolatedAndOnlyIsolatedPixelsChanged(int seed)
    {
        var random = new Random(seed);
        for (int trial = 0; trial < 20; trial++)
        {
            // Sparse to dense noise, so both phases have isolated pixels, pairs and checkerboard patches.
            double density = 0.05 + 0.9 * random.NextDouble();
            var thresholded = Enumerable.Range(0, Size * Size).Select(_ => random.NextDouble() < density ? 1f : 0f).ToArray();
            var isolated = IsolatedPixels.Mask(Microstructure.FromPixels(thresholded, Size));

            var withoutSpeckle = WithoutSpeckle(thresholded);
            var designs = Binarize(thresholded);

            Assert.Equal(0, IsolatedPixels.Count(Microstructure.FromPixels(withoutSpeckle, Size)));
            for (int i = 0; i < withoutSpeckle.Length; i++)
                if (withoutSpeckle[i] != thresholded[i]) Assert.True(isolated[i], $"pixel {i} changed although it was not isolated (trial {trial})");
            // Then the lakes: filling merges regions, so no pixel becomes isolated again.
            var filled = (float[])withoutSpeckle.Clone();
            LakeFilling.Fill<float>(filled, Size);
            Assert.Equal(filled, designs);
            Assert.Equal(0, IsolatedPixels.Count(Microstructure.FromPixels(designs, Size)));
        }
    }

    [Fact]
    public void GivenAHoleOfFourPixelsInAParticle_WhenBinarized_ThenTheHoleIsFilledButNotBySpeckleRemoval()
    {
        // B sea, an 8x8 A particle, a 2x2 B hole in it: no pixel is isolated, the hole is a lake.
        var map = Enumerable.Range(0, Size * Size).Select(i =>
        {
            int x = i / Size, y = i % Size;
            bool particle = x is >= 4 and < 12 && y is >= 4 and < 12, hole = x is 7 or 8 && y is 7 or 8;
            return particle && !hole ? 0.9f : 0.1f;
        }).ToArray();

        var withoutSpeckle = WithoutSpeckle(map);
        var designs = Binarize(map);

        Assert.Equal(map.Select(p => p > 0.5f ? 1f : 0f).ToArray(), withoutSpeckle);
        Assert.Equal(4, designs.Zip(withoutSpeckle).Count(pair => pair.First != pair.Second));
        Assert.Equal(1f, designs[7 * Size + 7]);
    }

    [Fact]
    public void GivenATensorThatIsNoImageBatch_WhenBinarized_ThenTheErrorNamesTheShape()
    {
        using var flat = zeros(4, 16);
        var error = Assert.Throws<ArgumentException>(() => DesignBinarization.Binarize(flat));
        Assert.Contains("[B, 1, S, S]", error.Message);
        Assert.Contains("[4, 16]", error.Message);
    }

    [Fact]
    public void GivenAGradientAndAVolumeFractionPerDesign_WhenBinarized_ThenEachDesignsMostProbablePixelsMakeThatShare()
    {
        // Probability rising pixel by pixel: the most probable quarter is the last 4 rows (one stripe, nothing to clean).
        var gradient = Enumerable.Range(0, Size * Size).Select(i => (i + 0.5f) / (Size * Size)).ToArray();
        using var maps = tensor(gradient.Concat(gradient).ToArray(), [2, 1, Size, Size]);
        using var fractions = tensor(new[] { 0.25f, 0.5f });

        var designs = DesignBinarization.Binarize(maps, fractions).data<float>().ToArray();

        var quarter = gradient.Select((_, i) => i >= 12 * Size ? 1f : 0f);
        var half = gradient.Select((_, i) => i >= 8 * Size ? 1f : 0f);
        Assert.Equal(quarter.Concat(half), designs);
        // At 0.5 the same map is half material A whatever the fraction asked.
        Assert.Equal(half.Concat(half), DesignBinarization.Binarize(maps).data<float>().ToArray());
    }

    [Fact]
    public void GivenEqualProbabilitiesAtTheCut_WhenBinarizedAtAVolumeFraction_ThenTheTiesAllBecomeMaterialA()
    {
        // Two rows at 0.9, four at 0.6, the rest at 0.1: asking for 4 rows' worth cuts inside the 0.6 tie.
        var map = Enumerable.Range(0, Size * Size).Select(i => i / Size < 2 ? 0.9f : i / Size < 6 ? 0.6f : 0.1f).ToArray();
        using var input = tensor(map, [1, 1, Size, Size]);
        using var fraction = tensor(new[] { 4f / Size });

        var designs = DesignBinarization.WithoutSpeckle(input, fraction).data<float>().ToArray();

        Assert.Equal(map.Select(p => p >= 0.6f ? 1f : 0f), designs);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void GivenABatchOfDecoderSizedMapsOnTorchThreads_WhenBinarized_ThenEachDesignIsItsSortedCutWithoutSpeckleAndLakes(int threads)
    {
        // 70 designs of 64x64 (tasks of 32 designs, the last one short), smooth blobs plus noise, each at its own fraction.
        const int count = 70, size = 64, pixels = size * size;
        var random = new Random(threads);
        var maps = new float[count * pixels];
        var fractions = new float[count];
        for (int d = 0; d < count; d++)
        {
            double fx = 1 + random.Next(4), fy = 1 + random.Next(4), phase = random.NextDouble() * 6.3;
            for (int i = 0; i < pixels; i++)
                maps[d * pixels + i] = (float)(0.5 + 0.35 * Math.Sin(2 * Math.PI * fx * (i / size) / size + phase) * Math.Cos(2 * Math.PI * fy * (i % size) / size) + 0.15 * (random.NextDouble() - 0.5));
            fractions[d] = (float)(0.2 + 0.6 * random.NextDouble());
        }
        var expected = new byte[maps.Length];
        for (int d = 0; d < count; d++)
        {
            var design = maps.AsSpan(d * pixels, pixels).ToArray();
            int k = Math.Clamp((int)MathF.Round(fractions[d] * pixels), 1, pixels);
            float cut = design.OrderByDescending(p => p).ElementAt(k - 1);
            for (int i = 0; i < pixels; i++) expected[d * pixels + i] = design[i] >= cut ? (byte)1 : (byte)0;
        }
        SpeckleRemoval.Remove(expected, size);
        LakeFilling.Fill<byte>(expected, size);

        using var scope = new MlNetInverse.Physics.Runtime.TorchThreadScope(threads);
        using var input = tensor(maps, [count, 1, size, size]);
        using var volumeFractions = tensor(fractions);
        using var designs = DesignBinarization.Binarize(input, volumeFractions);

        Assert.Equal(expected.Select(b => (float)b), designs.data<float>().ToArray());
    }

    [Fact]
    public void GivenProbabilitiesAndPixelCountsOnTheHost_WhenBinarizedWithoutTorch_ThenTheDesignsEqualTheTensorPath()
    {
        const int count = 5;
        var random = new Random(9);
        var maps = Enumerable.Range(0, count * Size * Size).Select(_ => (float)random.NextDouble()).ToArray();
        float[] fractions = [0.1f, 0.3f, 0.5f, 0.7f, 0.9f];
        var counts = fractions.Select(v => (long)MathF.Round(v * Size * Size)).ToArray();
        using var input = tensor(maps, [count, 1, Size, Size]);
        using var volumeFractions = tensor(fractions);
        using var expected = DesignBinarization.Binarize(input, volumeFractions);

        var designs = new float[maps.Length];
        DesignBinarization.BinarizeOnHost(maps, counts, designs, Size, threads: 2);

        Assert.Equal(expected.data<float>().ToArray(), designs);
        var atHalf = new float[maps.Length];
        DesignBinarization.BinarizeOnHost(maps, [], atHalf, Size, threads: 1);
        using var expectedAtHalf = DesignBinarization.Binarize(input);
        Assert.Equal(expectedAtHalf.data<float>().ToArray(), atHalf);
    }

    [Fact]
    public void GivenPixelCountsThatDoNotFit_WhenBinarizedOnTheHost_ThenTheErrorNamesThem()
    {
        var maps = new float[2 * Size * Size];
        var designs = new float[maps.Length];

        Assert.Contains("3 pixel counts for 2 designs", Assert.Throws<ArgumentException>(() => DesignBinarization.BinarizeOnHost(maps, [1, 2, 3], designs, Size, 1)).Message);
        Assert.Contains("A pixel count of 0", Assert.Throws<ArgumentException>(() => DesignBinarization.BinarizeOnHost(maps, [0, 2], designs, Size, 1)).Message);
        Assert.Contains("not the same whole 16x16 designs", Assert.Throws<ArgumentException>(() => DesignBinarization.BinarizeOnHost(maps, [], new float[10], Size, 1)).Message);
    }

    [Fact]
    public void GivenVolumeFractionsThatAreNotOnePerDesign_WhenBinarized_ThenTheErrorNamesTheShapes()
    {
        using var maps = zeros(3, 1, Size, Size);
        using var fractions = zeros(2);
        var error = Assert.Throws<ArgumentException>(() => DesignBinarization.Binarize(maps, fractions));
        Assert.Contains("[3]", error.Message);
        Assert.Contains("[2]", error.Message);
    }

    [Fact]
    public void GivenRandomMaps_WhenTheOnnxGraphRemovesIsolatedPixels_ThenItEqualsTorchWithoutSpeckle()
    {
        const int count = 12;
        var random = new Random(7);
        var maps = Enumerable.Range(0, count * Size * Size).Select(_ => random.NextDouble() < 0.4 ? 1f : 0f).ToArray();
        var graph = new OnnxGraphBuilder("despeckle");
        graph.Input("maps", DataType.Float, -1, 1, Size, Size);
        graph.NodeWithOutputs("Identity", [GeneratorGraph.RemoveIsolatedPixels(graph, "maps", Size)], ["designs"]);
        graph.Output("designs", DataType.Float, -1, 1, Size, Size);
        byte[] model;
        using (var stream = new MemoryStream())
        {
            Google.Protobuf.MessageExtensions.WriteTo(graph.ToModel("test", "despeckle"), stream);
            model = stream.ToArray();
        }

        using var session = new InferenceSession(model);
        using var input = OrtValue.CreateTensorValueFromMemory(maps, [count, 1, Size, Size]);
        using var outputs = session.Run(new RunOptions(), ["maps"], [input], ["designs"]);
        var onnx = outputs[0].GetTensorDataAsSpan<float>().ToArray();

        using var torchMaps = tensor(maps, [count, 1, Size, Size]);
        using var torchDesigns = DesignBinarization.WithoutSpeckle(torchMaps);
        Assert.Equal(torchDesigns.data<float>().ToArray(), onnx);
        Assert.NotEqual(maps, onnx); // the maps had isolated pixels to remove
    }
}
