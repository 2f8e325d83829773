using System.Globalization;
using Microsoft.ML;
using MlNetInverse.ML.Generation;
using MlNetInverse.ML.Mdn;
using MlNetInverse.ML.Onnx;
using MlNetInverse.Models.Devices;

namespace MlNetInverse.ML.Scoring;

/// <summary>
/// A generator opened for batch scoring: a model zip (both engines; ONNX graphs exported in memory) or an exported
/// generator.onnx with its manifest (ONNX engine only, no libtorch). Holds what sampling needs besides the networks:
/// seed, training range and calibration.
/// </summary>
internal sealed class ScoringGenerator : IDisposable
{
    private readonly ITransformer? _model;
    private readonly MdnTransformer? _mdn;
    private readonly MicrostructureDecodeTransformer? _decoder;
    private readonly string? _onnxPath;

    private ScoringGenerator(string source, OnnxGeneratorManifest manifest, ITransformer? model, MdnTransformer? mdn, MicrostructureDecodeTransformer? decoder, string? onnxPath)
    {
        Source = source;
        Manifest = manifest;
        _model = model;
        _mdn = mdn;
        _decoder = decoder;
        _onnxPath = onnxPath;
    }

    public string Source { get; }

    /// <summary>Shapes and sampling settings (for a zip: those an export would write).</summary>
    public OnnxGeneratorManifest Manifest { get; }

    /// <summary>True for an exported generator (ONNX only).</summary>
    public bool IsOnnxExport => _onnxPath is not null;

    /// <summary>Opens a model zip, or generator.onnx / generator.json of an export.</summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">Not a loadable generation model (truncated, another version, no MDN or decoder) or a broken export; one line naming it.</exception>
    public static ScoringGenerator Open(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Model file '{path}' does not exist.", path);
        if (path.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            string decoderPath = path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? ManifestDecoder(path) : path;
            string manifestPath = OnnxGeneratorNames.ManifestPath(decoderPath);
            var manifest = OnnxGeneratorManifest.Load(manifestPath);
            // Fail before any output is touched when the graphs that will run are not the manifest's (checked again on load).
            manifest.CheckLoaded(File.ReadAllBytes(decoderPath), mdn: false, decoderPath, manifestPath);
            string mdnPath = OnnxGeneratorNames.MdnPath(decoderPath);
            if (!File.Exists(mdnPath)) throw new FileNotFoundException($"ONNX graph '{mdnPath}' beside '{decoderPath}' does not exist.", mdnPath);
            manifest.CheckLoaded(File.ReadAllBytes(mdnPath), mdn: true, mdnPath, manifestPath);
            return new ScoringGenerator(path, manifest, null, null, null, decoderPath);
        }
        var mlContext = new MLContext(seed: 0);
        var model = mlContext.Inverse().LoadModel(path, out _);
        var mdn = MdnTransformer.FindIn(model);
        var decoder = MicrostructureDecodeTransformer.FindIn(model);
        if (mdn is null && CodePrior.CodePriorTransformer.FindIn(model) is not null)
        {
            (model as IDisposable)?.Dispose();
            throw new InvalidDataException(
                $"Model file '{path}' draws its latents with a code prior; batch scoring runs the MDN's engines (torch or ONNX, thousands of designs a second) and takes the MDN zip it was made from. Use 'generate --model' for this zip.");
        }
        if (mdn is null || decoder is null)
        {
            (model as IDisposable)?.Dispose();
            throw new InvalidDataException($"Model file '{path}' holds no {(mdn is null ? "MDN" : "microstructure decoder")}; scoring needs a generation model from 'mlnet-inverse train --pipeline'.");
        }
        // The manifest of an in-memory export carries the settings; the graphs themselves are only built for the ONNX engine.
        var settings = new OnnxGeneratorManifest
        {
            ImageSize = decoder.ImageSize,
            LatentDimension = mdn.LatentDimension,
            Components = mdn.Architecture.Components,
            SamplesPerTarget = mdn.SamplesPerTarget,
            SamplingSeed = mdn.SamplingSeed,
            TrainingAbsorptionMin = mdn.TrainingAbsorptionMin,
            TrainingAbsorptionMax = mdn.TrainingAbsorptionMax,
            CalibrationConditions = mdn.Calibration?.Conditions.ToArray() ?? [],
            CalibrationAchieved = mdn.Calibration?.Achieved.ToArray() ?? [],
            VolumeFractionReadout = decoder.VqVae.VolumeFractionReadout is not null,
        };
        return new ScoringGenerator(path, settings, model, mdn, decoder, null);
    }

    /// <summary>The conditioning value for <paramref name="target"/> (the calibration's inverse, or the target itself).</summary>
    public float Condition(float target)
    {
        var conditions = Manifest.CalibrationConditions;
        if (conditions.Length < 2) return target;
        return (float)new MdnCalibration(conditions, Manifest.CalibrationAchieved).ConditionFor(target);
    }

    /// <summary>Whether <paramref name="target"/> lies in the MDN's training range (compared in float32, ends included).</summary>
    public bool IsInTrainingRange(float target) =>
        target >= (float)Manifest.TrainingAbsorptionMin && target <= (float)Manifest.TrainingAbsorptionMax;

    /// <summary>Multiply-adds per image of each stage, counted on the zip's models; null for an ONNX export (no TorchSharp models to count).</summary>
    public ScoringWork? Work() => _mdn is null || _decoder is null ? null : ScoringWork.Of(_mdn.Network, _decoder.VqVae, _decoder.Surrogate);

    /// <summary>Starts an engine.</summary>
    /// <exception cref="InvalidOperationException">The torch engine on an ONNX export, or CUDA requested where it cannot run.</exception>
    public IGeneratorEngine CreateEngine(ScoringEngine engine, int threads, ComputeDevice device, out string? notice)
    {
        if (engine == ScoringEngine.Torch)
        {
            if (_onnxPath is not null)
                throw new InvalidOperationException($"'{Source}' is an ONNX export; it runs on the ONNX engine only (--engine onnx), or score the model zip with --engine torch.");
            return new TorchGeneratorEngine(_mdn!.Network, _decoder!.VqVae, _decoder.Surrogate, threads, device, out notice);
        }
        byte[] decoderGraph, mdnGraph;
        if (_onnxPath is not null)
        {
            decoderGraph = File.ReadAllBytes(_onnxPath);
            string mdnPath = OnnxGeneratorNames.MdnPath(_onnxPath);
            mdnGraph = File.ReadAllBytes(mdnPath);
            // The bytes that run are the ones checked, whatever file names the manifest holds.
            string manifestPath = OnnxGeneratorNames.ManifestPath(_onnxPath);
            Manifest.CheckLoaded(decoderGraph, mdn: false, _onnxPath, manifestPath);
            Manifest.CheckLoaded(mdnGraph, mdn: true, mdnPath, manifestPath);
        }
        else
        {
            (decoderGraph, mdnGraph, _) = OnnxGeneratorExport.ToBytes(_mdn!, _decoder!, "generator.onnx");
        }
        return new OnnxGeneratorEngine(decoderGraph, mdnGraph, Manifest, threads, device, out notice);
    }

    public void Dispose() => (_model as IDisposable)?.Dispose();

    private static string ManifestDecoder(string manifestPath)
    {
        var manifest = OnnxGeneratorManifest.Load(manifestPath);
        return Path.Combine(Path.GetDirectoryName(Path.GetFullPath(manifestPath))!, manifest.DecoderFile);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Source} (L={Manifest.LatentDimension}, K={Manifest.Components})");
}
