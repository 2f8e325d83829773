using System.Text.Json.Nodes;
using MlNetInverse.ML.Onnx;
using MlNetInverse.ML.Scoring;
using MlNetInverse.Tests.Cli;
using MlNetInverse.Tests.Models;

namespace MlNetInverse.Tests.Onnx;

/// <summary>
/// The manifest's SHA-256 protects the graph that runs: a manifest naming a graph elsewhere (outside its folder, or
/// another file beside it) cannot vouch for a swapped generator.onnx.
/// </summary>
[Collection(TorchDeterminismCollection.Name)]
public sealed class OnnxManifestSwapTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    /// <summary>Exports two different generators to x/ and y/; returns y's manifest path and x's decoder hash.</summary>
    private (string Original, string Swapped) ExportTwo()
    {
        using var original = TinyGenerator.Create();
        using var other = TinyGenerator.Create(architecture: TinyGenerator.VqVaeOptions with { CodebookSize = 8 });
        var x = OnnxGeneratorExport.Export(original.Model, _folder.File("x/generator.onnx"));
        var y = OnnxGeneratorExport.Export(other.Model, _folder.File("y/generator.onnx"));
        Assert.NotEqual(File.ReadAllBytes(x.Decoder), File.ReadAllBytes(y.Decoder));
        return (x.Decoder, y.Decoder);
    }

    /// <summary>Points y's manifest at <paramref name="decoderFile"/> with the original graph's hash, as a tamperer would.</summary>
    private static void Vouch(string swapped, string decoderFile, string original)
    {
        string manifestPath = OnnxGeneratorNames.ManifestPath(swapped);
        var manifest = JsonNode.Parse(File.ReadAllText(manifestPath))!.AsObject();
        manifest["decoder_file"] = decoderFile;
        manifest["decoder_sha256"] = OnnxGeneratorManifest.Hash(File.ReadAllBytes(original));
        File.WriteAllText(manifestPath, manifest.ToJsonString());
    }

    [Fact]
    public void GivenAnExportOfAnEarlierBuild_WhenItIsOpenedForScoring_ThenTheErrorAsksForAnExportWithThisBuild()
    {
        // Version 3 graphs thresholded at 0.5 where the torch engine now thresholds at the volume fraction read from the latents.
        using var generator = TinyGenerator.Create(volumeFractionReadout: true);
        var files = OnnxGeneratorExport.Export(generator.Model, _folder.File("old/generator.onnx"));
        string manifestPath = OnnxGeneratorNames.ManifestPath(files.Decoder);
        var manifest = JsonNode.Parse(File.ReadAllText(manifestPath))!.AsObject();
        Assert.Equal(OnnxGeneratorManifest.CurrentVersion, manifest["version"]!.GetValue<int>());
        Assert.True(manifest["volume_fraction_readout"]!.GetValue<bool>());
        manifest["version"] = 3;
        File.WriteAllText(manifestPath, manifest.ToJsonString());

        var error = Assert.Throws<InvalidDataException>(() => ScoringGenerator.Open(files.Decoder).Dispose());

        Assert.Contains("version 3", error.Message);
        Assert.Contains("export-onnx", error.Message);
    }

    [Fact]
    public void GivenAManifestWhoseDecoderFileLeavesItsFolder_WhenItsGraphIsOpenedForScoring_ThenItIsRefused()
    {
        var (original, swapped) = ExportTwo();
        Vouch(swapped, "../x/generator.onnx", original);

        var error = Assert.Throws<InvalidDataException>(() => ScoringGenerator.Open(swapped).Dispose());

        Assert.Contains("decoder_file '../x/generator.onnx', which is not a file beside it", error.Message);
    }

    [Fact]
    public void GivenAManifestNamingAnotherGraphBesideIt_WhenTheSwappedGraphIsOpenedForScoring_ThenTheLoadedGraphsHashIsChecked()
    {
        var (original, swapped) = ExportTwo();
        File.Copy(original, _folder.File("y/original.onnx"));
        Vouch(swapped, "original.onnx", original);
        Assert.NotNull(OnnxGeneratorManifest.Load(OnnxGeneratorNames.ManifestPath(swapped))); // the named file matches

        var error = Assert.Throws<InvalidDataException>(() => ScoringGenerator.Open(swapped).Dispose());

        Assert.Contains(swapped, error.Message);
        Assert.Contains("does not match", error.Message);
    }
}
