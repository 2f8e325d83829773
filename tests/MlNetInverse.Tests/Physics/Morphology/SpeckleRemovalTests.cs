using MlNetInverse.Physics.Microstructures;
using MlNetInverse.Physics.Morphology;

namespace MlNetInverse.Tests.Physics.Morphology;

public sealed class SpeckleRemovalTests
{
    /// <summary>The rule pixel by pixel: isolated A pixels become B, then B pixels with four A neighbours become A.</summary>
    private static byte[] ByRule(byte[] design, int size)
    {
        byte[] Pass(byte[] before, bool fillB)
        {
            var after = (byte[])before.Clone();
            for (int x = 0; x < size; x++)
                for (int y = 0; y < size; y++)
                {
                    int sum = before[(x + size - 1) % size * size + y] + before[(x + 1) % size * size + y]
                        + before[x * size + (y + size - 1) % size] + before[x * size + (y + 1) % size];
                    if (!fillB && sum == 0) after[x * size + y] = 0;
                    if (fillB && sum == 4) after[x * size + y] = 1;
                }
            return after;
        }
        return Pass(Pass(design, fillB: false), fillB: true);
    }

    private static byte[] Noise(Random random, int length, double density) =>
        Enumerable.Range(0, length).Select(_ => random.NextDouble() < density ? (byte)1 : (byte)0).ToArray();

    [Theory]
    [InlineData(5)]
    [InlineData(16)]
    [InlineData(37)]
    [InlineData(64)]
    public void GivenRandomDesignsOfAnyWidth_WhenSpeckleIsRemoved_ThenEachEqualsThePixelByPixelRuleAndNoneIsIsolated(int size)
    {
        // Widths below, at and past a vector of bytes (16, 32 or 64 lanes), so the vector rows and their tails both run.
        var random = new Random(size);
        var designs = Enumerable.Range(0, 12).SelectMany(i => Noise(random, size * size, 0.05 + 0.075 * i)).ToArray();
        var expected = designs.Chunk(size * size).SelectMany(design => ByRule(design, size)).ToArray();

        SpeckleRemoval.Remove(designs, size);

        Assert.Equal(expected, designs);
        foreach (var design in designs.Chunk(size * size))
            Assert.Equal(0, IsolatedPixels.Count(Microstructure.FromPixels(design.Select(p => (float)p).ToArray(), size)));
    }

    [Fact]
    public void GivenACheckerboardOf64Pixels_WhenSpeckleIsRemoved_ThenTheAPassClearsItFirst()
    {
        const int size = 64;
        var board = Enumerable.Range(0, size * size).Select(i => (byte)((i / size + i % size) % 2)).ToArray();

        SpeckleRemoval.Remove(board, size);

        Assert.All(board, pixel => Assert.Equal(0, pixel));
    }

    [Fact]
    public void GivenValuesThatAreNotWholeDesigns_WhenSpeckleIsRemoved_ThenTheErrorNamesTheSize()
    {
        var error = Assert.Throws<ArgumentException>(() => SpeckleRemoval.Remove(new byte[70], 8));
        Assert.Contains("8x8", error.Message);
    }
}
