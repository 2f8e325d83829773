using MlNetInverse.Cli.Reports;
using SkiaSharp;

namespace MlNetInverse.Tests.Cli;

public sealed class ReconstructionGridPngTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void GivenOriginalsAndReconstructions_WhenDrawn_ThenOriginalsAreAboveReconstructionsAndTheirBinarizedCopies()
    {
        const int size = 8;
        var original = Enumerable.Range(0, size * size).Select(i => i / size == 2 ? 1f : 0f).ToArray(); // row x = 2 is material A
        var reconstruction = Enumerable.Range(0, size * size).Select(i => i % size == 3 ? 0.7f : 0.2f).ToArray(); // column y = 3 at 0.7
        var path = _folder.File("grid.png");

        ReconstructionGridPng.Write(path, [original, original], [reconstruction, reconstruction], size);

        using var bitmap = SKBitmap.Decode(path);
        byte Gray(int column, int row, int x, int y)
        {
            var (left, top) = ReconstructionGridPng.TileOrigin(column, row, size);
            return bitmap.GetPixel(left + y * ReconstructionGridPng.Scale, top + x * ReconstructionGridPng.Scale).Red;
        }
        Assert.Equal(255, Gray(1, 0, x: 2, y: 5));
        Assert.Equal(0, Gray(1, 0, x: 3, y: 5));
        Assert.Equal((byte)Math.Round(0.7 * 255), Gray(0, 1, x: 6, y: 3));
        Assert.Equal((byte)Math.Round(0.2 * 255), Gray(0, 1, x: 6, y: 4));
        Assert.Equal(255, Gray(0, 2, x: 6, y: 3));
        Assert.Equal(0, Gray(0, 2, x: 6, y: 4));
        Assert.Equal(ReconstructionGridPng.TileOrigin(2, ReconstructionGridPng.TileRows, size), (bitmap.Width, bitmap.Height));
        Assert.Single(Directory.GetFiles(_folder.Path));
    }

    [Fact]
    public void GivenMismatchedCounts_WhenDrawn_ThenTheErrorSaysSoAndNothingIsWritten()
    {
        var image = new float[16];

        var error = Assert.Throws<ArgumentException>(() => ReconstructionGridPng.Write(_folder.File("grid.png"), [image, image], [image], 4));

        Assert.Contains("as many reconstructions as originals", error.Message);
        Assert.Empty(Directory.GetFiles(_folder.Path));
    }
}
