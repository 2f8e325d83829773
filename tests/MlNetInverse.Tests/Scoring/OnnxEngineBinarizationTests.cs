using MlNetInverse.ML.Onnx;
using MlNetInverse.ML.Scoring;
using MlNetInverse.Models.Devices;
using MlNetInverse.Tests.Cli;
using MlNetInverse.Tests.Models;
using MlNetInverse.Tests.Onnx;

namespace MlNetInverse.Tests.Scoring;

/// <summary>
/// The ONNX engine binarizes on the host from its graph's probabilities and pixel counts; an export from before the
/// pixel_counts output decodes through the graph's own images (TopK) and must give the same designs.
/// </summary>
[Collection(TorchDeterminismCollection.Name)]
public sealed class OnnxEngineBinarizationTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static float[] Decode(byte[] decoderGraph, byte[] mdnGraph, OnnxGeneratorManifest manifest, float[] latents, int count)
    {
        using var engine = new OnnxGeneratorEngine(decoderGraph, mdnGraph, manifest, threads: 2, ComputeDevice.Cpu, out _);
        var images = new float[count * manifest.ImageSize * manifest.ImageSize];
        var absorption = new float[count];
        engine.Decode(latents, count, images, absorption);
        return images;
    }

    [Fact]
    public void GivenAnExportWithAReadout_WhenDecodedOnTheHostAndThroughAGraphWithoutPixelCounts_ThenTheDesignsAreEqual()
    {
        using var generator = TinyGenerator.Create(samples: 3, volumeFractionReadout: true);
        var files = OnnxGeneratorExport.Export(generator.Model, _folder.File("readout.onnx"), overwrite: true);
        var manifest = OnnxGeneratorManifest.Load(files.Manifest);
        byte[] graph = File.ReadAllBytes(files.Decoder), mdn = File.ReadAllBytes(files.Mdn);
        // The graph as the previous build exported it: the same nodes, no pixel_counts output.
        byte[] withoutCounts = OnnxGraphPruning.KeepOutputs(graph, OnnxGeneratorNames.Probabilities, OnnxGeneratorNames.Images, OnnxGeneratorNames.Absorption);
        const int count = 70;
        var random = new Random(5);
        var latents = Enumerable.Range(0, count * manifest.LatentDimension).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();

        var onHost = Decode(graph, mdn, manifest, latents, count);
        var throughGraph = Decode(withoutCounts, mdn, manifest, latents, count);

        Assert.Equal(throughGraph, onHost);
        Assert.Contains(1f, onHost);
        Assert.Contains(0f, onHost);
    }
}
