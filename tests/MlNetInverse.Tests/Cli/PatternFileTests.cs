using MlNetInverse.Cli.Patterns;
using MlNetInverse.Physics.Microstructures;

namespace MlNetInverse.Tests.Cli;

public sealed class PatternFileTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void GivenTheSameMapAsTxtAndPng_WhenLoaded_ThenTheMicrostructuresAreEqual()
    {
        var map = PatternMaps.Random(seed: 11);
        var txt = _folder.Write("map.txt", map.ToText());
        var png = _folder.File("map.png");
        PatternMaps.WritePng(png, map);

        var fromText = PatternFile.Load(txt);
        var fromPng = PatternFile.Load(png);

        Assert.Equal(64, fromPng.Size);
        Assert.Equal(fromText.ToArray(), fromPng.ToArray());
        Assert.Equal(map.ToArray(), fromPng.ToArray());
    }

    [Fact]
    public void GivenAPngWithOnePixelSet_WhenLoaded_ThenImageRowIsXAndImageColumnIsY()
    {
        var png = _folder.File("one.png");
        PatternMaps.WritePng(png, 64, 64, (row, column) => row == 3 && column == 50 ? (byte)255 : (byte)0);

        var pattern = PatternFile.Load(png);

        Assert.Equal(1f, pattern[3, 50]);
        Assert.Equal(0f, pattern[50, 3]);
        Assert.Equal(1.0 / (64 * 64), pattern.VolumeFraction, 12);
    }

    [Fact]
    public void GivenGrayLevelsAroundTheThreshold_WhenLoaded_ThenOnlyLevelsAbove127AreMaterialA()
    {
        var png = _folder.File("levels.png");
        PatternMaps.WritePng(png, 64, 64, (row, _) => row switch { 0 => 127, 1 => 128, 2 => 0, _ => 255 });

        var pattern = PatternFile.Load(png);

        Assert.Equal(0f, pattern[0, 17]);
        Assert.Equal(1f, pattern[1, 17]);
        Assert.Equal(0f, pattern[2, 17]);
        Assert.Equal(1f, pattern[63, 17]);
    }

    [Fact]
    public void GivenAMapSavedAsPng_WhenLoadedBack_ThenItIsUnchangedAndNoTempFileRemains()
    {
        var map = PatternMaps.Random(seed: 12);
        var path = _folder.File("saved.png");

        PatternPng.Save(map, path);
        var loaded = PatternFile.Load(path);

        Assert.Equal(map.ToArray(), loaded.ToArray());
        Assert.Equal(new[] { "saved.png" }, Directory.GetFiles(_folder.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void GivenAPngOfTheWrongSize_WhenLoaded_ThenTheErrorNamesTheFileAndBothSizes()
    {
        var png = _folder.File("small.png");
        PatternMaps.WritePng(png, PatternMaps.Random(seed: 3, size: 16));

        var error = Assert.Throws<FormatException>(() => PatternFile.Load(png));

        Assert.Contains("small.png", error.Message);
        Assert.Contains("16x16", error.Message);
        Assert.Contains("64x64", error.Message);
    }

    [Fact]
    public void GivenAMissingFile_WhenLoaded_ThenFileNotFoundNamesIt()
    {
        var error = Assert.Throws<FileNotFoundException>(() => PatternFile.Load(_folder.File("absent.txt")));

        Assert.Contains("absent.txt", error.Message);
    }

    [Fact]
    public void GivenATextMapWithWindowsLineEndings_WhenLoaded_ThenItParsesLikeUnixText()
    {
        var map = PatternMaps.Random(seed: 13);
        var path = _folder.Write("crlf.txt", map.ToText().Replace("\n", "\r\n"));

        Assert.Equal(map.ToArray(), PatternFile.Load(path).ToArray());
    }
}
