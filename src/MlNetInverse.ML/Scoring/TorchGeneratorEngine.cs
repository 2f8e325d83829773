using MlNetInverse.Models.Devices;
using MlNetInverse.Models.Mdn;
using MlNetInverse.Models.Surrogate;
using MlNetInverse.Models.VqVae;
using MlNetInverse.Physics.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetInverse.ML.Scoring;

/// <summary>
/// The generator on TorchSharp: the model zip's own MDN, VQ-VAE and surrogate (not copies), in eval mode, without
/// gradients; one dispose scope per call, so no tensor outlives a batch. Decoding runs in chunks of
/// <see cref="ImagesPerCall"/> images to bound the activations held at once.
/// </summary>
internal sealed class TorchGeneratorEngine : IGeneratorEngine
{
    /// <summary>Images per decoder forward pass (activations about 0.3 MB per image for the quick model).</summary>
    public const int ImagesPerCall = 512;

    private readonly MixtureDensityNetwork _mdn;
    private readonly VqVaeModel _vqVae;
    private readonly AbsorptionSurrogateModel _surrogate;
    private readonly Device _device;
    private readonly int _threads;

    /// <param name="mdn">The MDN of the model zip (condition -> mixture).</param>
    /// <param name="vqVae">The VQ-VAE whose decoder turns latents into images.</param>
    /// <param name="surrogate">The absorption surrogate of the binarized images.</param>
    /// <param name="threads">Torch intra-op threads for each call (set per call: the count is per OS thread).</param>
    /// <param name="device">cpu, cuda or auto.</param>
    /// <param name="notice">A line for the user when the device fell back.</param>
    public TorchGeneratorEngine(MixtureDensityNetwork mdn, VqVaeModel vqVae, AbsorptionSurrogateModel surrogate, int threads, ComputeDevice device, out string? notice)
    {
        if (threads < 1) throw new ArgumentOutOfRangeException(nameof(threads), threads, "The torch engine needs at least 1 thread.");
        _threads = threads;
        _mdn = mdn;
        _vqVae = vqVae;
        _surrogate = surrogate;
        _device = DeviceResolver.Resolve(device, out notice);
        _mdn.to(_device).eval();
        _vqVae.to(_device).eval();
        _surrogate.to(_device).eval();
        Description = $"torch ({_device.type.ToString().ToLowerInvariant()}, TorchSharp)";
        NoiseFactors = mdn.NoiseFactors();
    }

    public MlNetInverse.Models.Mdn.NoiseFactors? NoiseFactors { get; }

    public string Description { get; }

    public int Threads => _threads;

    /// <summary>Draws per MDN call: only the picked components are computed (2 x L floats per draw, 16 MB here), so the
    /// groups of draws per component are large enough for the matrix kernels (64 targets made groups of one or two).</summary>
    public const int DrawsPerMixtureCall = 4096;

    public int TargetsPerMixtureCall(int samples) => Math.Max(1, DrawsPerMixtureCall / samples);

    public int Components => _mdn.Options.Components;

    public int LatentDimension => _mdn.Options.LatentDimension;

    public int ImageSize => _vqVae.Options.ImageSize;

    public void LogWeights(ReadOnlySpan<float> conditions, Span<float> logWeights)
    {
        using var threads = new TorchThreadScope(_threads);
        using var scope = NewDisposeScope();
        Copy(_mdn.LogWeights(tensor(conditions.ToArray())), logWeights);
    }

    public void ChosenComponents(ReadOnlySpan<float> conditions, ReadOnlySpan<int> rows, ReadOnlySpan<int> components, Span<float> means, Span<float> sigmas)
    {
        using var threads = new TorchThreadScope(_threads);
        using var scope = NewDisposeScope();
        var (chosenMeans, chosenSigmas) = _mdn.ChosenComponents(tensor(conditions.ToArray()), rows, components);
        Copy(chosenMeans, means);
        Copy(chosenSigmas, sigmas);
    }

    public void Decode(ReadOnlySpan<float> latents, int count, Span<float> images, Span<float> absorption)
    {
        var options = _vqVae.Options;
        int d = options.CodeDimension, g = options.LatentGridSize, pixels = options.ImageSize * options.ImageSize, l = d * g * g;
        using var threads = new TorchThreadScope(_threads);
        using var noGrad = no_grad();
        for (int start = 0; start < count; start += ImagesPerCall)
        {
            int n = Math.Min(ImagesPerCall, count - start);
            using var scope = NewDisposeScope();
            var input = tensor(latents.Slice(start * l, n * l).ToArray(), [n, d, g, g]);
            if (_device.type != DeviceType.CPU) input = input.to(_device);
            var binary = _vqVae.DecodeDesigns(input);
            Copy(binary, images.Slice(start * pixels, n * pixels));
            if (!absorption.IsEmpty) Copy(_surrogate.call(binary), absorption.Slice(start, n));
        }
    }

    /// <summary>The models belong to the transformers they came from; nothing to release here.</summary>
    public void Dispose()
    {
    }

    private static void Copy(Tensor source, Span<float> target)
    {
        using var cpu = source.to_type(ScalarType.Float32).cpu().contiguous();
        // The storage as one span: TensorAccessor's element-wise copy was measured 100x slower for mixture-sized tensors.
        var values = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(cpu.bytes);
        if (values.Length != target.Length)
            throw new InvalidOperationException($"A tensor of {values.Length} values does not fit {target.Length}.");
        values.CopyTo(target);
    }
}
