using Microsoft.ML;
using MlNetInverse.ML.Onnx;

namespace MlNetInverse.ML;

public sealed partial class InverseCatalog
{
    /// <summary>
    /// Exports the generator of <paramref name="model"/> (a chain holding an MDN and a microstructure decoder, and
    /// optionally a surrogate screen) to ONNX: <paramref name="path"/> (decoder and surrogate), its .mdn.onnx (MDN) and
    /// its .json manifest (shapes, sampling seed, draws per target, calibration, screen, graph hashes). Needs libtorch
    /// (it reads the TorchSharp weights); running the export with <see cref="ApplyOnnxGenerator(string)"/> does not.
    /// </summary>
    /// <exception cref="InvalidDataException">The model holds no MDN or no microstructure decoder.</exception>
    /// <param name="model">The generation model.</param>
    /// <param name="path">The decoder graph's file (.onnx).</param>
    /// <param name="overwrite">Replace whatever is at the three paths (default, as <c>mlContext.Model.Save</c> does); false: only
    /// this very export may be there already, anything else is refused with <see cref="MlNetInverse.Physics.Storage.OutputExistsException"/>.</param>
    /// <exception cref="NotSupportedException">A layer the export cannot translate.</exception>
    public OnnxGeneratorExport.Files ExportOnnx(ITransformer model, string path, bool overwrite = true) => OnnxGeneratorExport.Export(model, path, overwrite);

    /// <summary>
    /// The exported generator at <paramref name="modelPath"/> (generator.onnx or generator.json) as an estimator whose
    /// transformer gives the model zip's output columns and values (sampling, calibration, surrogate screen) on ONNX
    /// Runtime, without loading libtorch. Default column names and settings of <see cref="OnnxGeneratorOptions"/>.
    /// </summary>
    public OnnxGeneratorEstimator ApplyOnnxGenerator(string modelPath) => ApplyOnnxGenerator(new OnnxGeneratorOptions { ModelPath = modelPath });

    /// <summary>The exported generator with every setting of <paramref name="options"/>; see <see cref="OnnxGeneratorOptions"/>.</summary>
    public OnnxGeneratorEstimator ApplyOnnxGenerator(OnnxGeneratorOptions options) => new(Context, options);
}
