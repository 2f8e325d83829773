using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetInverse.ML;
using MlNetInverse.ML.Generation;
using MlNetInverse.ML.Mdn;
using MlNetInverse.ML.Onnx;
using MlNetInverse.Tests.Cli;
using MlNetInverse.Tests.ML;
using MlNetInverse.Tests.Models;

namespace MlNetInverse.Tests.Onnx;

/// <summary>
/// ONNX on the catalog: <c>ExportOnnx</c> of a chain with calibration and a surrogate screen, then
/// <c>ApplyOnnxGenerator</c> gives the chain's columns and values on ONNX Runtime, in a process where libtorch never loads.
/// </summary>
[Collection(TorchDeterminismCollection.Name)]
public sealed class ApplyOnnxGeneratorTests : IDisposable
{
    private const double Tolerance = 1e-4;
    private static readonly float[] TargetValues = [0.35f, 0.5f, 0.62f, 0.78f, 0.95f];

    private readonly TempFolder _folder = new();
    private readonly TinyGenerator _generator = TinyGenerator.Create(samples: 6, calibration: new MdnCalibration([0.3, 0.55, 0.8], [0.36, 0.5, 0.71]));
    private readonly ITransformer _chain;
    private readonly IDataView _targets;

    public ApplyOnnxGeneratorTests()
    {
        _targets = _generator.Targets(TargetValues);
        var screen = _generator.MlContext.Inverse().SelectClosestSamples(new SampleSelectionOptions { Keep = 3, LatentsColumnName = GenerationColumns.GeneratedLatents })
            .Fit(_generator.Model.Transform(_targets));
        _chain = new TransformerChain<ITransformer>(_generator.Mdn, _generator.Decoder, screen);
    }

    public void Dispose()
    {
        _generator.Dispose();
        _folder.Dispose();
    }

    private string Export() => _generator.MlContext.Inverse().ExportOnnx(_chain, _folder.File("generator.onnx")).Decoder;

    [Fact]
    public void GivenAChainWithCalibrationAndAScreen_WhenExportedAndApplied_ThenTheOutputEqualsTheTorchChains()
    {
        var path = Export();

        var onnx = _generator.MlContext.Inverse().ApplyOnnxGenerator(path).Fit(_targets).Transform(_targets);
        var torch = _chain.Transform(_targets);

        foreach (var column in new[] { GenerationColumns.GeneratedImages, GenerationColumns.GeneratedLatents, GenerationColumns.PredictedAbsorption })
            Assert.Equal(torch.Schema[column].Type, onnx.Schema[column].Type);
        Assert.Equal(Values(torch, GenerationColumns.GeneratedImages), Values(onnx, GenerationColumns.GeneratedImages));
        OnnxExportTests.AssertCloseWithin(Values(torch, GenerationColumns.PredictedAbsorption), Values(onnx, GenerationColumns.PredictedAbsorption), "predicted absorption", Tolerance);
        OnnxExportTests.AssertCloseWithin(Values(torch, GenerationColumns.GeneratedLatents), Values(onnx, GenerationColumns.GeneratedLatents), "latents", Tolerance);
        Assert.Equal(torch.GetColumn<bool>(GenerationColumns.InTrainingRange), onnx.GetColumn<bool>(GenerationColumns.InTrainingRange));
        Assert.Contains(false, onnx.GetColumn<bool>(GenerationColumns.InTrainingRange)); // 0.95 lies outside [0.3, 0.8]
        Assert.Equal(3, OnnxGeneratorManifest.Load(OnnxGeneratorNames.ManifestPath(path)).SelectionKeep);
    }

    [Fact]
    public void GivenAScreenWithinVolumeFractionStrata_WhenExportedAndApplied_ThenTheManifestCarriesTheStrataAndTheImagesEqualTheTorchChains()
    {
        var screen = _generator.MlContext.Inverse().SelectClosestSamples(new SampleSelectionOptions { Keep = 3, VolumeFractionStrata = 3 })
            .Fit(_generator.Model.Transform(_targets));
        var chain = new TransformerChain<ITransformer>(_generator.Mdn, _generator.Decoder, screen);
        var path = _generator.MlContext.Inverse().ExportOnnx(chain, _folder.File("strata.onnx")).Decoder;

        var onnx = _generator.MlContext.Inverse().ApplyOnnxGenerator(path).Fit(_targets).Transform(_targets);

        Assert.Equal(3, OnnxGeneratorManifest.Load(OnnxGeneratorNames.ManifestPath(path)).SelectionVolumeFractionStrata);
        Assert.Equal(Values(chain.Transform(_targets), GenerationColumns.GeneratedImages), Values(onnx, GenerationColumns.GeneratedImages));
        Assert.NotEqual(Values(_chain.Transform(_targets), GenerationColumns.GeneratedImages), Values(onnx, GenerationColumns.GeneratedImages));
    }

    [Fact]
    public void GivenASoftScreen_WhenExportedAndApplied_ThenTheManifestCarriesTheSoftnessAndTheImagesEqualTheTorchChains()
    {
        var chain = _generator.Chain(4, 3, screenSoftness: 0.2);
        var path = _generator.MlContext.Inverse().ExportOnnx(chain, _folder.File("soft.onnx")).Decoder;

        var onnx = _generator.MlContext.Inverse().ApplyOnnxGenerator(path).Fit(_targets).Transform(_targets);

        Assert.Equal(0.2, OnnxGeneratorManifest.Load(OnnxGeneratorNames.ManifestPath(path)).SelectionSoftness);
        Assert.Equal(Values(chain.Transform(_targets), GenerationColumns.GeneratedImages), Values(onnx, GenerationColumns.GeneratedImages));
    }

    [Fact]
    public void GivenTheOnnxGenerator_WhenSavedInAModelZipAndLoaded_ThenItGeneratesTheSame()
    {
        var generator = _generator.MlContext.Inverse().ApplyOnnxGenerator(Export()).Fit(_targets);
        var zip = _folder.File("onnx-generator.zip");

        _generator.MlContext.Model.Save(generator, _targets.Schema, zip);
        File.Delete(Export()); // the zip carries the graphs itself
        var loaded = new MLContext().Model.Load(zip, out _);

        Assert.Equal(InverseModelData.Bits(generator.Transform(_targets), GenerationColumns.GeneratedImages), InverseModelData.Bits(loaded.Transform(_targets), GenerationColumns.GeneratedImages));
        Assert.Equal(InverseModelData.Bits(generator.Transform(_targets), GenerationColumns.GeneratedLatents), InverseModelData.Bits(loaded.Transform(_targets), GenerationColumns.GeneratedLatents));
        generator.Dispose();
    }

    [Fact]
    public void GivenAFreshProcess_WhenTheOnnxGeneratorTransforms_ThenLibTorchIsNeverLoadedAndTheOutputIsTheSame()
    {
        var path = Export();
        var zip = _folder.File("model.zip");
        _generator.MlContext.Model.Save(_chain, _targets.Schema, zip);
        var inProcess = _generator.MlContext.Inverse().ApplyOnnxGenerator(path).Fit(_targets).Transform(_targets);

        var onnx = OnnxChildRun.Run(path, _folder.File("onnx.txt"), TargetValues);
        var control = OnnxChildRun.Run(zip, _folder.File("zip.txt"), TargetValues);

        Assert.False(onnx.LibTorchMapped, "ApplyOnnxGenerator loaded libtorch");
        Assert.True(control.LibTorchMapped, "the check sees libtorch when the torch chain runs");
        Assert.Equal(InverseModelData.Bits(inProcess, GenerationColumns.GeneratedImages).Concat(InverseModelData.Bits(inProcess, GenerationColumns.PredictedAbsorption)), onnx.Lines);
        Assert.Equal(onnx.Lines[..TargetValues.Length], control.Lines[..TargetValues.Length]); // the same designs either way
    }

    [Fact]
    public void GivenNoExport_WhenFitted_ThenTheErrorNamesTheFile()
    {
        var missing = _folder.File("nothing.onnx");

        var error = Assert.Throws<FileNotFoundException>(() => _generator.MlContext.Inverse().ApplyOnnxGenerator(missing).Fit(_targets));

        Assert.Contains("nothing.onnx", error.Message);
    }

    private static float[] Values(IDataView data, string column) => data.GetColumn<float[]>(column).SelectMany(v => v).ToArray();
}
