using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetInverse.Cli.Patterns;
using MlNetInverse.ML;
using MlNetInverse.ML.Data;
using MlNetInverse.Physics.Microstructures;
using MlNetInverse.Tests.Cli;

namespace MlNetInverse.Tests.ML;

public sealed class MicrostructureImageTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly MLContext _mlContext = new(seed: 1);

    private sealed class PathRow
    {
        public string ImagePath { get; set; } = "";
    }

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void GivenPngsWrittenByTheCli_WhenTheFolderIsLoaded_ThenImagesEqualTheMapsPixelForPixel()
    {
        var maps = WriteGrfPngs(3);

        var data = _mlContext.Inverse().LoadMicrostructureImages(_folder.Path);

        Assert.Equal(MicrostructureColumns.ImageType(), data.Schema[MicrostructureColumns.Image].Type);
        Assert.Equal(maps.Keys.Select(_folder.File), data.GetColumn<string>(MicrostructureColumns.ImagePath));
        var images = data.GetColumn<float[]>(MicrostructureColumns.Image).ToArray();
        int i = 0;
        foreach (var map in maps.Values)
            Assert.True(map.Pixels.SequenceEqual(images[i++]), $"image {i - 1} differs from Microstructure.Pixels");
    }

    [Fact]
    public void GivenAPngFolderAndADatasetFile_WhenBothAreLoaded_ThenTheirImageColumnsHaveTheSameType()
    {
        WriteGrfPngs(1);
        var dataset = MicrostructureSamples.Write(MicrostructureSamples.Dataset(count: 1, rowGroupSize: 1), _folder.File("one.parquet"));

        var fromPng = _mlContext.Inverse().LoadMicrostructureImages(_folder.Path);
        var fromDataset = _mlContext.Inverse().LoadMicrostructures(dataset);

        Assert.Equal(fromDataset.Schema[MicrostructureColumns.Image].Type, fromPng.Schema[MicrostructureColumns.Image].Type);
    }

    [Fact]
    public void GivenAGrayGradientPng_WhenRead_ThenPngRowIsXAndColumnIsYScaledToZeroOne()
    {
        static byte Gray(int row, int column) => (byte)((5 * row + column) % 256);
        PatternMaps.WritePng(_folder.File("gradient.png"), 64, 64, Gray);

        var image = _mlContext.Inverse().LoadMicrostructureImages(_folder.Path).GetColumn<float[]>(MicrostructureColumns.Image).Single();

        for (int x = 0; x < 64; x++)
            for (int y = 0; y < 64; y++)
                Assert.True(Math.Abs(image[x * 64 + y] - Gray(x, y) / 255.0) < 1e-6, $"pixel ({x}, {y}) is {image[x * 64 + y]}, expected {Gray(x, y)}/255");
        Assert.InRange(image.Max(), 0f, 1f);
    }

    [Fact]
    public void GivenASmallerPng_WhenRead_ThenItIsStretchedToTheMapSize()
    {
        PatternMaps.WritePng(_folder.File("small.png"), 32, 32, (row, column) => 255);

        var image = _mlContext.Inverse().LoadMicrostructureImages(_folder.Path).GetColumn<float[]>(MicrostructureColumns.Image).Single();

        Assert.Equal(64 * 64, image.Length);
        Assert.All(image, p => Assert.Equal(1f, p));
    }

    [Fact]
    public void GivenAnAbsorptionFile_WhenTheFolderIsLoaded_ThenEachImageCarriesItsLabel()
    {
        var maps = WriteGrfPngs(3);
        var labels = _folder.Write("labels.csv", "file,absorption\n" + string.Join("\n", maps.Keys.Select((name, k) => $"{name},0.{5 + k}")));

        var data = _mlContext.Inverse().LoadMicrostructureImages(_folder.Path, labels);

        Assert.Equal([0.5f, 0.6f, 0.7f], data.GetColumn<float>(MicrostructureColumns.Absorption));
    }

    [Fact]
    public void GivenAnAbsorptionFileWithoutALabelForAnImage_WhenLoaded_ThenTheErrorNamesTheImage()
    {
        var maps = WriteGrfPngs(2);
        var labels = _folder.Write("labels.csv", $"file,absorption\n{maps.Keys.First()},0.5\n");

        var error = Assert.Throws<InvalidDataException>(() => _mlContext.Inverse().LoadMicrostructureImages(_folder.Path, labels));

        Assert.Contains($"has no label for '{maps.Keys.Last()}'", error.Message);
    }

    [Fact]
    public void GivenAFolderWithoutPngs_WhenLoaded_ThenTheErrorSaysSo()
    {
        var error = Assert.Throws<InvalidDataException>(() => _mlContext.Inverse().LoadMicrostructureImages(_folder.Path));

        Assert.Contains("holds no *.png files", error.Message);
    }

    [Fact]
    public void GivenTheImageReadingEstimatorInAModel_WhenSavedAndLoadedInAFreshContext_ThenItReadsTheSameImages()
    {
        var maps = WriteGrfPngs(2);
        var paths = _mlContext.Data.LoadFromEnumerable(maps.Keys.Select(name => new PathRow { ImagePath = name }).ToArray());
        var model = _mlContext.Inverse().ReadMicrostructureImages(imageFolder: _folder.Path).Fit(paths);
        var path = _folder.File("reader.zip");
        _mlContext.Inverse().SaveModel(model, paths.Schema, path);

        var fresh = new MLContext();
        var loaded = fresh.Inverse().LoadModel(path, out _);
        var images = loaded.Transform(paths).GetColumn<float[]>(MicrostructureColumns.Image).ToArray();

        Assert.Equal(maps.Values.Select(m => m.ToArray()), images);
        Assert.DoesNotContain(loaded.GetOutputSchema(paths.Schema), c => c.Name.EndsWith(".Bitmap", StringComparison.Ordinal) && !c.IsHidden);
    }

    /// <summary>GRF maps saved with the CLI's PNG writer, keyed by file name in ordinal order.</summary>
    private SortedDictionary<string, Microstructure> WriteGrfPngs(int count)
    {
        var generator = new GaussianRandomFieldGenerator();
        var maps = new SortedDictionary<string, Microstructure>(StringComparer.Ordinal);
        for (int i = 0; i < count; i++)
        {
            var map = generator.Generate(new GrfParameters(SpectralDensityFamily.Ring, 3, 0.8, 0.3 + 0.2 * i), seed: 40 + i);
            var name = $"map-{i:D2}.png";
            PatternPng.Save(map, _folder.File(name));
            maps[name] = map;
        }
        return maps;
    }
}
