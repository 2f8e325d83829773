using System.Reflection;
using Google.Protobuf;
using Microsoft.ML;
using MlNetInverse.ML.Generation;
using MlNetInverse.ML.Internals;
using MlNetInverse.ML.Mdn;
using MlNetInverse.Physics.Storage;

namespace MlNetInverse.ML.Onnx;

/// <summary>
/// Exports the generator of a generation model zip (MDN → microstructure decoder) to ONNX: the decoder graph
/// (latents → images and surrogate absorption), the MDN graph (condition → mixture) and a manifest, written as
/// <c>generator.onnx</c>, <c>generator.mdn.onnx</c> and <c>generator.json</c>. Every file is written to a temp file and
/// renamed; the manifest, written last, holds the hashes of the two graphs it belongs to.
/// </summary>
public static class OnnxGeneratorExport
{
    /// <summary>The three files of an export.</summary>
    /// <param name="Decoder">Path of the decoder graph.</param>
    /// <param name="Mdn">Path of the MDN graph.</param>
    /// <param name="Manifest">Path of the manifest.</param>
    public sealed record Files(string Decoder, string Mdn, string Manifest);

    /// <summary>Exports <paramref name="model"/> (a chain holding an MDN transformer and a microstructure decoder).</summary>
    /// <param name="model">A generation model, e.g. loaded from artifacts/model.zip.</param>
    /// <param name="path">The decoder graph's file (.onnx); the other two are named after it.</param>
    /// <exception cref="InvalidDataException">The model holds no MDN or no microstructure decoder.</exception>
    /// <exception cref="NotSupportedException">A layer the export cannot translate.</exception>
    public static Files Export(ITransformer model, string path) => Export(model, path, overwrite: true);

    /// <summary>
    /// Exports <paramref name="model"/>; with <paramref name="overwrite"/> false, files already at these paths must be
    /// this very export (a rerun rewrites the same bytes): another model's export, or a file that is no export, is refused.
    /// </summary>
    /// <exception cref="OutputExistsException">Not <paramref name="overwrite"/>, and the files there are something else; the message names the file and the difference.</exception>
    public static Files Export(ITransformer model, string path, bool overwrite)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var (decoder, mdn, manifest) = ToBytes(model, Path.GetFileName(path));
        var files = new Files(Path.GetFullPath(path), Path.GetFullPath(OnnxGeneratorNames.MdnPath(path)), Path.GetFullPath(OnnxGeneratorNames.ManifestPath(path)));
        if (!overwrite) RefuseAnotherExport(files, manifest);
        Directory.CreateDirectory(Path.GetDirectoryName(files.Decoder)!);
        AtomicFile.Write(files.Decoder, stream => stream.Write(decoder));
        AtomicFile.Write(files.Mdn, stream => stream.Write(mdn));
        AtomicFile.Write(files.Manifest, stream => stream.Write(System.Text.Encoding.UTF8.GetBytes(manifest.ToJson())));
        return files;
    }

    /// <summary>Throws unless every file of <paramref name="files"/> that exists belongs to the export described by <paramref name="fresh"/>.</summary>
    private static void RefuseAnotherExport(Files files, OnnxGeneratorManifest fresh)
    {
        var existing = new[] { files.Decoder, files.Mdn, files.Manifest }.Where(File.Exists).ToArray();
        if (existing.Length == 0) return;
        if (!File.Exists(files.Manifest))
            throw new OutputExistsException(existing[0], "is not part of an ONNX generator export");
        System.Text.Json.Nodes.JsonObject? there;
        try
        {
            there = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(files.Manifest)) as System.Text.Json.Nodes.JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            there = null;
        }
        if (there?["format"]?.GetValue<string>() != OnnxGeneratorManifest.FormatName)
            throw new OutputExistsException(files.Manifest, "is not an ONNX generator manifest");
        var now = System.Text.Json.Nodes.JsonNode.Parse(fresh.ToJson())!.AsObject();
        foreach (var (key, value) in now)
        {
            if (key == "producer" || System.Text.Json.Nodes.JsonNode.DeepEquals(value, there[key])) continue;
            throw new OutputExistsException(files.Decoder, $"holds the export of another model ({key} {Short(there[key])} there, {Short(value)} now)");
        }

        static string Short(System.Text.Json.Nodes.JsonNode? node)
        {
            var text = node?.ToJsonString() ?? "missing";
            return text.Length <= 24 ? text : text[..20] + "...";
        }
    }

    /// <summary>The two serialized graphs and their manifest, in memory (the ONNX scoring engine runs them without files).</summary>
    internal static (byte[] Decoder, byte[] Mdn, OnnxGeneratorManifest Manifest) ToBytes(ITransformer model, string decoderFileName)
    {
        var mdn = MdnTransformer.FindIn(model)
            ?? throw new InvalidDataException(CodePrior.CodePriorTransformer.FindIn(model) is null
                ? "The model holds no MDN; ONNX export needs a generation model from 'mlnet-inverse train --pipeline'."
                : "The model draws with a code prior; ONNX export covers the MDN path: export the MDN zip it was made from.");
        var decoder = MicrostructureDecodeTransformer.FindIn(model)
            ?? throw new InvalidDataException("The model holds no microstructure decoder; ONNX export needs a generation model from 'mlnet-inverse train --pipeline'.");
        var (decoderBytes, mdnBytes, manifest) = ToBytes(mdn, decoder, decoderFileName);
        // The screen travels in the manifest so ApplyOnnxGenerator gives the zip's output, kept designs included.
        var selection = SampleSelectionTransformer.FindIn(model);
        if (selection is not null && selection.Candidates != mdn.SamplesPerTarget)
            throw new InvalidDataException($"The model's surrogate screen reads {selection.Candidates} samples but its MDN draws {mdn.SamplesPerTarget}; the model's parts do not belong together.");
        // The export carries one seed: the weighted screen's keys must take the MDN's.
        if (selection is { Softness: > 0 } && selection.Seed != mdn.SamplingSeed)
            throw new InvalidDataException($"The model's weighted screen is seeded {selection.Seed} but its MDN {mdn.SamplingSeed}; the export holds one seed for both.");
        return (decoderBytes, mdnBytes, manifest with { SelectionKeep = selection?.Keep ?? 0, SelectionVolumeFractionStrata = selection?.VolumeFractionStrata ?? 1, SelectionSoftness = selection?.Softness ?? 0 });
    }

    internal static (byte[] Decoder, byte[] Mdn, OnnxGeneratorManifest Manifest) ToBytes(MdnTransformer mdn, MicrostructureDecodeTransformer decoder, string decoderFileName)
    {
        int latentDimension = decoder.Architecture.CodeDimension * decoder.Architecture.LatentGridSize * decoder.Architecture.LatentGridSize;
        if (mdn.LatentDimension != latentDimension)
            throw new InvalidDataException($"The MDN draws {mdn.LatentDimension} latent values but the decoder takes {latentDimension}; the model's parts do not belong together.");
        string producer = "MlNetInverse " + (typeof(OnnxGeneratorExport).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "?");
        var decoderBytes = GeneratorGraph.Build(decoder.VqVae, decoder.Surrogate, producer).ToByteArray();
        var mdnBytes = MdnGraph.Build(mdn.Network, producer).ToByteArray();
        var manifest = new OnnxGeneratorManifest
        {
            Producer = producer,
            DecoderFile = decoderFileName,
            DecoderSha256 = OnnxGeneratorManifest.Hash(decoderBytes),
            MdnFile = Path.GetFileName(OnnxGeneratorNames.MdnPath(decoderFileName)),
            MdnSha256 = OnnxGeneratorManifest.Hash(mdnBytes),
            ImageSize = decoder.ImageSize,
            LatentDimension = latentDimension,
            Components = mdn.Architecture.Components,
            VolumeFractionReadout = decoder.VqVae.VolumeFractionReadout is not null,
            CorrelatedNoise = mdn.Architecture.CorrelatedNoise,
            NoiseBands = mdn.Architecture.CorrelatedNoise && mdn.Architecture.NoiseBands > 1 ? mdn.Architecture.NoiseBands : 0,
            SamplesPerTarget = mdn.SamplesPerTarget,
            SamplingSeed = mdn.SamplingSeed,
            TrainingAbsorptionMin = mdn.TrainingAbsorptionMin,
            TrainingAbsorptionMax = mdn.TrainingAbsorptionMax,
            CalibrationConditions = mdn.Calibration?.Conditions.ToArray() ?? [],
            CalibrationAchieved = mdn.Calibration?.Achieved.ToArray() ?? [],
        };
        return (decoderBytes, mdnBytes, manifest);
    }
}
