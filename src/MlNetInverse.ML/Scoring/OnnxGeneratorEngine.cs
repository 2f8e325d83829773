using Microsoft.ML.OnnxRuntime;
using MlNetInverse.ML.Onnx;
using MlNetInverse.Models.Devices;
using MlNetInverse.Models.VqVae;
using MlNetInverse.Physics.Morphology;

namespace MlNetInverse.ML.Scoring;

/// <summary>
/// The generator on ONNX Runtime: inference sessions for the MDN graph and for two parts of the decoder graph (latents to
/// images; the surrogate from images) with all graph optimisations and <c>threads</c> intra-op threads. Between the two
/// parts the host fills the images' lakes (<see cref="LakeFilling"/>), as the torch paths do. Touches no TorchSharp
/// type, so scoring an exported generator never loads libtorch.
/// </summary>
internal sealed class OnnxGeneratorEngine : IGeneratorEngine
{
    private static readonly string[] MdnOutputs = [OnnxGeneratorNames.LogWeights, OnnxGeneratorNames.Means, OnnxGeneratorNames.Sigmas];
    private static readonly string[] DecoderImages = [OnnxGeneratorNames.Images];
    private static readonly string[] DecoderProbabilities = [OnnxGeneratorNames.Probabilities];
    private static readonly string[] DecoderProbabilitiesAndCounts = [OnnxGeneratorNames.Probabilities, OnnxGeneratorNames.PixelCounts];
    private static readonly string[] SurrogateAbsorption = [OnnxGeneratorNames.Absorption];

    private readonly InferenceSession _mdn;
    private readonly InferenceSession _images;
    // What the decoding session yields: probabilities (and pixel counts) that the host binarizes, or the graph's images
    // (an export from before the pixel_counts output, whose graph cuts with TopK).
    private readonly string[] _decoderOutputs;
    private readonly InferenceSession _surrogate;
    private readonly RunOptions _run = new();
    private float[] _conditions = [], _logWeights = [], _means = [], _sigmas = [];
    private int _mixtureCount;

    /// <param name="decoderGraph">Serialized decoder graph.</param>
    /// <param name="mdnGraph">Serialized MDN graph.</param>
    /// <param name="manifest">Shapes of the graphs.</param>
    /// <param name="threads">Intra-op threads (at least 1).</param>
    /// <param name="device">Cpu; Cuda (fails clearly without the CUDA build of ONNX Runtime or a GPU); Auto (CUDA when it can start, else the CPU with <paramref name="notice"/>).</param>
    /// <param name="notice">A one-line notice when Auto fell back to the CPU; null otherwise.</param>
    public OnnxGeneratorEngine(byte[] decoderGraph, byte[] mdnGraph, OnnxGeneratorManifest manifest, int threads, ComputeDevice device, out string? notice)
    {
        notice = null;
        Threads = threads;
        Components = manifest.Components;
        LatentDimension = manifest.LatentDimension;
        ImageSize = manifest.ImageSize;
        _decoderOutputs = DecoderOutputs(decoderGraph, manifest);
        (InferenceSession Mdn, InferenceSession Images, InferenceSession Surrogate)? sessions = null;
        if (device is ComputeDevice.Cuda or ComputeDevice.Auto)
        {
            try
            {
                sessions = Sessions(decoderGraph, mdnGraph, _decoderOutputs, threads, useCuda: true);
            }
            catch (Exception e) when (e is OnnxRuntimeException or EntryPointNotFoundException or DllNotFoundException)
            {
                string why = OneLine(e.Message);
                if (device == ComputeDevice.Cuda)
                    throw new InvalidOperationException(
                        $"CUDA was requested for the ONNX engine but ONNX Runtime cannot start its CUDA provider ({why}); this build uses the CPU package " +
                        "Microsoft.ML.OnnxRuntime (build with /p:OnnxRuntimeGpu=true for Microsoft.ML.OnnxRuntime.Gpu.Linux) or no CUDA GPU/driver is present. Use --device cpu or auto.", e);
                notice = $"CUDA is not available to ONNX Runtime ({why}); using the CPU.";
            }
        }
        bool cuda = sessions is not null;
        (_mdn, _images, _surrogate) = sessions ?? Sessions(decoderGraph, mdnGraph, _decoderOutputs, threads, useCuda: false);
        Description = $"onnx ({(cuda ? "cuda" : "cpu")}, ONNX Runtime)";
        NoiseFactors = _mdn.OutputMetadata.ContainsKey(OnnxGeneratorNames.NoiseFactor) ? ReadNoiseFactors() : null;
    }

    public int Threads { get; }

    /// <summary>The MDN's noise factors when its graph has them (an MDN with correlated noise), else null.</summary>
    public MlNetInverse.Models.Mdn.NoiseFactors? NoiseFactors { get; }

    // Constants of the graph: one run with any condition yields them.
    private MlNetInverse.Models.Mdn.NoiseFactors ReadNoiseFactors()
    {
        int l = LatentDimension;
        bool banded = _mdn.OutputMetadata.ContainsKey(OnnxGeneratorNames.NoiseCentres);
        using var inputValue = OrtValue.CreateTensorValueFromMemory(new float[1], [1, 1]);
        using var outputs = _mdn.Run(_run, [OnnxGeneratorNames.Condition], [inputValue],
            banded ? [OnnxGeneratorNames.NoiseFactor, OnnxGeneratorNames.NoiseCentres] : [OnnxGeneratorNames.NoiseFactor]);
        double[] centres = banded ? outputs[1].GetTensorDataAsSpan<float>().ToArray().Select(c => (double)c).ToArray() : [];
        var all = new float[(long)Math.Max(1, centres.Length) * l * l];
        Copy(outputs[0], all, all.Length);
        return MlNetInverse.Models.Mdn.NoiseFactors.FromStacked(all, centres, l);
    }

    public string Description { get; }

    public int Components { get; }

    public int LatentDimension { get; }

    public int ImageSize { get; }

    public void LogWeights(ReadOnlySpan<float> conditions, Span<float> logWeights)
    {
        RunMixture(conditions);
        _logWeights.AsSpan(0, conditions.Length * Components).CopyTo(logWeights);
    }

    public int TargetsPerMixtureCall(int samples) => BatchScorer.TargetsPerMixture;

    public void ChosenComponents(ReadOnlySpan<float> conditions, ReadOnlySpan<int> rows, ReadOnlySpan<int> components, Span<float> means, Span<float> sigmas)
    {
        // The MDN graph yields whole mixtures; reuse the run of LogWeights when it was for these conditions.
        if (!conditions.SequenceEqual(_conditions.AsSpan(0, _mixtureCount))) RunMixture(conditions);
        int k = Components, l = LatentDimension;
        for (int p = 0; p < rows.Length; p++)
        {
            if ((uint)rows[p] >= (uint)conditions.Length || (uint)components[p] >= (uint)k)
                throw new ArgumentException($"Pair {p} names target {rows[p]} and component {components[p]}; there are {conditions.Length} targets and {k} components.");
            int offset = (rows[p] * k + components[p]) * l;
            _means.AsSpan(offset, l).CopyTo(means.Slice(p * l, l));
            _sigmas.AsSpan(offset, l).CopyTo(sigmas.Slice(p * l, l));
        }
    }

    private void RunMixture(ReadOnlySpan<float> conditions)
    {
        int b = conditions.Length, k = Components, l = LatentDimension;
        var input = conditions.ToArray();
        using var inputValue = OrtValue.CreateTensorValueFromMemory(input, [b, 1]);
        using var outputs = _mdn.Run(_run, [OnnxGeneratorNames.Condition], [inputValue], MdnOutputs);
        if (_conditions.Length < b) (_conditions, _logWeights, _means, _sigmas) = (new float[b], new float[b * k], new float[b * k * l], new float[b * k * l]);
        Copy(outputs[0], _logWeights, b * k);
        Copy(outputs[1], _means, b * k * l);
        Copy(outputs[2], _sigmas, b * k * l);
        input.CopyTo(_conditions, 0);
        _mixtureCount = b;
    }

    public void Decode(ReadOnlySpan<float> latents, int count, Span<float> images, Span<float> absorption)
    {
        int l = LatentDimension, pixels = ImageSize * ImageSize;
        var input = latents[..(count * l)].ToArray();
        using (var inputValue = OrtValue.CreateTensorValueFromMemory(input, [count, l]))
        using (var outputs = _images.Run(_run, [OnnxGeneratorNames.Latents], [inputValue], _decoderOutputs))
        {
            if (_decoderOutputs == DecoderImages)
            {
                Copy(outputs[0], images, count * pixels);
                LakeFilling.Fill(images[..(count * pixels)], ImageSize);
            }
            else
            {
                var probabilities = outputs[0].GetTensorDataAsSpan<float>();
                if (probabilities.Length != count * pixels)
                    throw new InvalidOperationException($"ONNX Runtime returned {probabilities.Length} probabilities where {count * pixels} were expected; the graph does not match its manifest.");
                DesignBinarization.BinarizeOnHost(probabilities, outputs.Count > 1 ? PixelCounts(outputs[1], count) : [], images[..(count * pixels)], ImageSize, Threads);
            }
        }
        if (absorption.IsEmpty) return;
        var designs = images[..(count * pixels)].ToArray();
        using var designValue = OrtValue.CreateTensorValueFromMemory(designs, [count, pixels]);
        using var predicted = _surrogate.Run(_run, [OnnxGeneratorNames.Images], [designValue], SurrogateAbsorption);
        Copy(predicted[0], absorption, count);
    }

    public void Dispose()
    {
        _mdn.Dispose();
        _images.Dispose();
        _surrogate.Dispose();
        _run.Dispose();
    }

    /// <summary>
    /// The decoding session's outputs: the probabilities, with the pixel counts when the VQ-VAE has a readout, so the host
    /// binarizes exactly as the torch engine does (ONNX Runtime's TopK over 4,096 pixels per design cost about 1 s per
    /// 8,192 designs, more than the decoder); the graph's images for an export whose graph has no pixel counts.
    /// </summary>
    private static string[] DecoderOutputs(byte[] decoderGraph, OnnxGeneratorManifest manifest)
    {
        var outputs = global::Onnx.ModelProto.Parser.ParseFrom(decoderGraph).Graph.Output;
        if (outputs.Any(o => o.Name == OnnxGeneratorNames.PixelCounts)) return DecoderProbabilitiesAndCounts;
        return manifest.VolumeFractionReadout ? DecoderImages : DecoderProbabilities;
    }

    private static long[] PixelCounts(OrtValue value, int count)
    {
        var counts = value.GetTensorDataAsSpan<float>();
        if (counts.Length != count)
            throw new InvalidOperationException($"ONNX Runtime returned {counts.Length} pixel counts where {count} were expected; the graph does not match its manifest.");
        var whole = new long[count];
        for (int i = 0; i < count; i++) whole[i] = (long)counts[i];
        return whole;
    }

    // The decoder graph in two sessions, cut at its decoding outputs: ONNX Runtime runs every node of a session whichever
    // outputs are asked for, and the surrogate must see the designs after the host binarized them.
    private static (InferenceSession Mdn, InferenceSession Images, InferenceSession Surrogate) Sessions(byte[] decoderGraph, byte[] mdnGraph, string[] decoderOutputs, int threads, bool useCuda)
    {
        using var options = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            IntraOpNumThreads = Math.Max(1, threads),
            InterOpNumThreads = 1,
        };
        if (useCuda) options.AppendExecutionProvider_CUDA(0);
        var opened = new List<InferenceSession>();
        try
        {
            opened.Add(new InferenceSession(mdnGraph, options));
            opened.Add(new InferenceSession(OnnxGraphPruning.KeepOutputs(decoderGraph, decoderOutputs), options));
            opened.Add(new InferenceSession(OnnxGraphPruning.FromInput(decoderGraph, OnnxGeneratorNames.Images, OnnxGeneratorNames.Absorption), options));
            return (opened[0], opened[1], opened[2]);
        }
        catch
        {
            foreach (var session in opened) session.Dispose();
            throw;
        }
    }

    private static void Copy(OrtValue value, Span<float> target, long expected)
    {
        var data = value.GetTensorDataAsSpan<float>();
        if (data.Length != expected || target.Length < expected)
            throw new InvalidOperationException($"ONNX Runtime returned {data.Length} values where {expected} were expected; the graph does not match its manifest.");
        data.CopyTo(target);
    }

    private static string OneLine(string message) =>
        string.Join(" ", message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).TrimEnd('.');
}
