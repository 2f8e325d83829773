using MlNetInverse.Models.Devices;
using MlNetInverse.Models.Mdn;
using MlNetInverse.Models.Surrogate;
using MlNetInverse.Models.VqVae;
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

    public TorchGeneratorEngine(MixtureDensityNetwork mdn, VqVaeModel vqVae, AbsorptionSurrogateModel surrogate, ComputeDevice device, out string? notice)
    {
        _mdn = mdn;
        _vqVae = vqVae;
        _surrogate = surrogate;
        _device = DeviceResolver.Resolve(device, out notice);
        _mdn.to(_device).eval();
        _vqVae.to(_device).eval();
        _surrogate.to(_device).eval();
        Description = $"torch ({_device.type.ToString().ToLowerInvariant()}, TorchSharp)";
    }

    public string Description { get; }

    public int Components => _mdn.Options.Components;

    public int LatentDimension => _mdn.Options.LatentDimension;

    public int ImageSize => _vqVae.Options.ImageSize;

    public void Mixture(ReadOnlySpan<float> conditions, Span<float> logWeights, Span<float> means, Span<float> sigmas)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var mixture = _mdn.Mixture(tensor(conditions.ToArray()));
        Copy(mixture.LogWeights, logWeights);
        Copy(mixture.Means, means);
        Copy(mixture.Sigmas, sigmas);
    }

    public void Decode(ReadOnlySpan<float> latents, int count, Span<float> images, Span<float> absorption)
    {
        var options = _vqVae.Options;
        int d = options.CodeDimension, g = options.LatentGridSize, pixels = options.ImageSize * options.ImageSize, l = d * g * g;
        using var noGrad = no_grad();
        for (int start = 0; start < count; start += ImagesPerCall)
        {
            int n = Math.Min(ImagesPerCall, count - start);
            using var scope = NewDisposeScope();
            var input = tensor(latents.Slice(start * l, n * l).ToArray(), [n, d, g, g]);
            if (_device.type != DeviceType.CPU) input = input.to(_device);
            var binary = _vqVae.DecodeContinuous(input).gt(0.5).to_type(ScalarType.Float32);
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
