using Microsoft.ML;
using MlNetInverse.ML;
using MlNetInverse.Tests.Cli;
using MlNetInverse.Tests.ML.Probe;
using Xunit.Abstractions;

namespace MlNetInverse.Tests.ML;

/// <summary>Every way a saved model can be unreadable gives one line naming the file and the problem.</summary>
public sealed class TorchModelLoadErrorTests : IDisposable
{
    private const string ProbeSignature = "LINPROBE";
    private readonly TempFolder _folder = new();
    private readonly ITestOutputHelper _output;
    private readonly string _path;

    public TorchModelLoadErrorTests(ITestOutputHelper output)
    {
        _output = output;
        var mlContext = new MLContext(seed: 1);
        var train = mlContext.Data.LoadFromEnumerable(ProbeData.Rows(16));
        _path = _folder.File("probe.zip");
        mlContext.Inverse().SaveModel(ProbeData.Pipeline(mlContext, epochs: 5).Fit(train), train.Schema, _path);
    }

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void GivenATruncatedZip_WhenLoaded_ThenTheErrorSaysTruncatedOrCorrupted()
    {
        ModelZipSurgery.Truncate(_path, 0.6);

        var message = LoadError();

        Assert.Contains("truncated or corrupted", message);
    }

    [Fact]
    public void GivenAFlippedByteInTheWeights_WhenLoaded_ThenTheChecksumErrorNamesTheWeightStream()
    {
        ModelZipSurgery.RewriteEntry(_path, "/TorchWeights.bin", bytes =>
        {
            bytes[bytes.Length / 2] ^= 0x10;
            return bytes;
        });

        var message = LoadError();

        Assert.Contains("linear probe: weight stream 'TorchWeights.bin' fails its SHA-256 check", message);
    }

    [Fact]
    public void GivenAZipWithoutTheWeightStream_WhenLoaded_ThenTheErrorSaysItIsMissing()
    {
        ModelZipSurgery.DeleteEntry(_path, "/TorchWeights.bin");

        var message = LoadError();

        Assert.Contains("linear probe: the model zip has no weight stream 'TorchWeights.bin'", message);
    }

    [Fact]
    public void GivenAZipWithoutTheWeightStream_WhenLoadedWithMlNetDirectly_ThenTheWrappedErrorCarriesTheSameMessage()
    {
        ModelZipSurgery.DeleteEntry(_path, "/TorchWeights.bin");

        var error = Record.Exception(() => new MLContext().Model.Load(_path, out _));

        var messages = new List<string>();
        for (var e = error; e != null; e = e.InnerException) messages.Add(e.Message);
        Assert.Contains(messages, m => m.StartsWith("linear probe: the model zip has no weight stream 'TorchWeights.bin'", StringComparison.Ordinal));
    }

    [Fact]
    public void GivenAComponentWrittenByANewerFormatVersion_WhenLoaded_ThenTheErrorSaysUpdate()
    {
        ModelZipSurgery.SetComponentVersion(_path, ProbeSignature, written: 0x00010003, readable: 0x00010002);

        var message = LoadError();

        Assert.Contains("linear probe: the model was written by a newer format version 0x00010003", message);
        Assert.Contains("this build reads up to 0x00010001", message);
    }

    [Fact]
    public void GivenAComponentWrittenByAnOlderFormatVersion_WhenLoaded_ThenTheErrorSaysSaveAgain()
    {
        ModelZipSurgery.SetComponentVersion(_path, ProbeSignature, written: 0x00010000, readable: 0x00010000);

        var message = LoadError();

        Assert.Contains("linear probe: the model was written by an older format version 0x00010000", message);
    }

    [Fact]
    public void GivenAFileThatIsNotAZip_WhenLoaded_ThenTheErrorSaysTruncatedOrCorrupted()
    {
        File.WriteAllText(_path, "this is not a model");

        var message = LoadError();

        Assert.Contains("truncated or corrupted", message);
    }

    [Fact]
    public void GivenNoFile_WhenLoaded_ThenFileNotFoundNamesThePath()
    {
        var missing = _folder.File("missing.zip");

        var error = Assert.Throws<FileNotFoundException>(() => new MLContext().Inverse().LoadModel(missing, out _));

        Assert.Contains(missing, error.Message);
    }

    private string LoadError()
    {
        var error = Assert.Throws<InvalidDataException>(() => new MLContext().Inverse().LoadModel(_path, out _));
        Assert.StartsWith($"Model file '{_path}' cannot be loaded: ", error.Message);
        Assert.DoesNotContain('\n', error.Message);
        _output.WriteLine(error.Message);
        return error.Message;
    }
}
