using MlNetInverse.Physics.Microstructures;
using MlNetInverse.Physics.Morphology;

namespace MlNetInverse.Tests.Physics.Morphology;

public sealed class LakeFillingTests
{
    private const int Size = 32;

    /// <summary>A design of material A (1) with material B (0) where <paramref name="isMaterialB"/> says so.</summary>
    private static float[] Design(Func<int, int, bool> isMaterialB, int size = Size)
    {
        var pixels = new float[size * size];
        for (int x = 0; x < size; x++)
            for (int y = 0; y < size; y++)
                pixels[x * size + y] = isMaterialB(x, y) ? 0f : 1f;
        return pixels;
    }

    private static bool InBox(int x, int y, int x0, int y0, int rows, int columns) => x >= x0 && x < x0 + rows && y >= y0 && y < y0 + columns;

    private static float[] Filled(float[] design, int size = Size)
    {
        var copy = (float[])design.Clone();
        LakeFilling.Fill<float>(copy, size);
        return copy;
    }

    [Fact]
    public void GivenAHoleInAParticleInTheSea_WhenFilled_ThenTheHoleBecomesAAndTheSeaStays()
    {
        // B sea, an 8x8 A particle at (10, 10), a 2x2 B hole in it.
        var design = Design((x, y) => !InBox(x, y, 10, 10, 8, 8) || InBox(x, y, 13, 13, 2, 2));

        var filled = Filled(design);

        var expected = Design((x, y) => !InBox(x, y, 10, 10, 8, 8));
        Assert.Equal(expected, filled);
        Assert.Equal(4, LakeFilling.Fill<float>((float[])design.Clone(), Size));
    }

    [Fact]
    public void GivenBRegionsOf29And30Pixels_WhenFilled_ThenOnlyTheOneUnder30PixelsBecomesA()
    {
        // In material A: a 10x10 sea, a 29-pixel line and a 30-pixel line, apart from each other.
        bool Sea(int x, int y) => InBox(x, y, 0, 0, 10, 10);
        bool Line29(int x, int y) => InBox(x, y, 14, 0, 1, 29);
        bool Line30(int x, int y) => InBox(x, y, 20, 0, 1, 30);
        var design = Design((x, y) => Sea(x, y) || Line29(x, y) || Line30(x, y));

        Assert.Equal(Design((x, y) => Sea(x, y) || Line30(x, y)), Filled(design));
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void GivenA40PixelRegionCutByTheCellEdge_WhenFilled_ThenItsPiecesCountAsOneRegionAndStay(bool acrossRows, bool acrossColumns)
    {
        // A 5x8 block (40 pixels) centred on the cell edge along the chosen axes; every piece alone is under 30 pixels.
        int x0 = acrossRows ? Size - 2 : 12, y0 = acrossColumns ? Size - 4 : 12;
        bool Block(int x, int y) => InBox((x - x0 + Size) % Size, (y - y0 + Size) % Size, 0, 0, 5, 8);
        bool Sea(int x, int y) => InBox(x, y, 19, 21, 9, 6); // 54 pixels, clear of the block in every case
        var design = Design((x, y) => Block(x, y) || Sea(x, y));

        Assert.Equal(design, Filled(design));
        Assert.Equal(2, PhaseComponents.Count(Microstructure.FromPixels(design, Size)).MaterialB); // the sea and the block, across the edge
    }

    [Fact]
    public void GivenOnlyBRegionsUnder30Pixels_WhenFilled_ThenTheLargestStaysAndTiesKeepTheFirstInRasterOrder()
    {
        bool Small(int x, int y) => InBox(x, y, 2, 2, 1, 5);       // 5 pixels
        bool FirstTen(int x, int y) => InBox(x, y, 6, 2, 2, 5);    // 10 pixels
        bool SecondTen(int x, int y) => InBox(x, y, 12, 2, 2, 5);  // 10 pixels
        var design = Design((x, y) => Small(x, y) || FirstTen(x, y) || SecondTen(x, y));

        Assert.Equal(Design(FirstTen), Filled(design));
    }

    [Fact]
    public void GivenAllMaterialAOrAllMaterialB_WhenFilled_ThenNothingChanges()
    {
        var allA = Design((_, _) => false);
        var allB = Design((_, _) => true);

        Assert.Equal(0, LakeFilling.Fill<float>(allA, Size));
        Assert.Equal(0, LakeFilling.Fill<float>(allB, Size));
        Assert.All(allA, p => Assert.Equal(1f, p));
        Assert.All(allB, p => Assert.Equal(0f, p));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void GivenRandomMapsInABatch_WhenFilled_ThenEveryRemainingBRegionIsTheLargestOrAtLeast30PixelsAndOnlyLakesChanged(int seed)
    {
        const int count = 30;
        var random = new Random(seed);
        // Blobs of B in A at densities where B ranges from many small regions to one sea.
        var batch = new float[count * Size * Size];
        for (int i = 0; i < batch.Length; i++) batch[i] = 1f;
        for (int d = 0; d < count; d++)
        {
            int blobs = 5 + random.Next(60);
            for (int b = 0; b < blobs; b++)
            {
                int x0 = random.Next(Size), y0 = random.Next(Size), rows = 1 + random.Next(6), columns = 1 + random.Next(6);
                for (int x = 0; x < rows; x++)
                    for (int y = 0; y < columns; y++)
                        batch[d * Size * Size + (x0 + x) % Size * Size + (y0 + y) % Size] = 0f;
            }
        }
        var before = (float[])batch.Clone();

        int changed = LakeFilling.Fill<float>(batch, Size);

        int expectedChanged = 0;
        for (int d = 0; d < count; d++)
        {
            var original = Regions(before.AsSpan(d * Size * Size, Size * Size));
            var after = Regions(batch.AsSpan(d * Size * Size, Size * Size));
            int largest = original.Sizes.Count == 0 ? -1 : original.Sizes.IndexOf(original.Sizes.Max());
            for (int p = 0; p < Size * Size; p++)
            {
                int region = original.Of[p];
                bool lake = region >= 0 && region != largest && original.Sizes[region] < LakeFilling.SmallestLake;
                Assert.Equal(lake ? 1f : before[d * Size * Size + p], batch[d * Size * Size + p]);
                if (lake) expectedChanged++;
            }
            Assert.All(after.Sizes, s => Assert.True(s >= LakeFilling.SmallestLake || after.Sizes.Count == 1, $"design {d} keeps a B region of {s} pixels"));
        }
        Assert.Equal(expectedChanged, changed);
        Assert.True(expectedChanged > 0, "the maps had lakes to fill");
    }

    [Fact]
    public void GivenBytesAndFloatsOfTheSameDesigns_WhenFilled_ThenTheResultsAgree()
    {
        var random = new Random(5);
        var floats = Enumerable.Range(0, 4 * Size * Size).Select(_ => random.NextDouble() < 0.55 ? 1f : 0f).ToArray();
        var bytes = floats.Select(p => (byte)p).ToArray();

        int changedFloats = LakeFilling.Fill<float>(floats, Size);
        int changedBytes = LakeFilling.Fill<byte>(bytes, Size);

        Assert.Equal(changedFloats, changedBytes);
        Assert.Equal(floats, bytes.Select(b => (float)b).ToArray());
    }

    [Fact]
    public void GivenValuesThatAreNotWholeDesigns_WhenFilled_ThenTheErrorNamesTheSize()
    {
        var error = Assert.Throws<ArgumentException>(() => LakeFilling.Fill<float>(new float[Size * Size + 3], Size));
        Assert.Contains("32x32", error.Message);
    }

    /// <summary>B regions by flood fill, pixel by pixel (the test's own oracle): region of each pixel (-1 for A) and sizes in raster order.</summary>
    private static (int[] Of, List<int> Sizes) Regions(ReadOnlySpan<float> design)
    {
        var of = new int[Size * Size];
        Array.Fill(of, -1);
        var sizes = new List<int>();
        var stack = new Stack<int>();
        for (int p = 0; p < of.Length; p++)
        {
            if (design[p] != 0f || of[p] >= 0) continue;
            int region = sizes.Count, size = 0;
            of[p] = region;
            stack.Push(p);
            while (stack.Count > 0)
            {
                int q = stack.Pop();
                size++;
                int x = q / Size, y = q % Size;
                foreach (int r in new[] { (x + 1) % Size * Size + y, (x + Size - 1) % Size * Size + y, x * Size + (y + 1) % Size, x * Size + (y + Size - 1) % Size })
                {
                    if (design[r] != 0f || of[r] >= 0) continue;
                    of[r] = region;
                    stack.Push(r);
                }
            }
            sizes.Add(size);
        }
        return (of, sizes);
    }
}
