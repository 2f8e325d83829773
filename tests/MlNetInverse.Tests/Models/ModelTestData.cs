using MlNetInverse.Models.Quantization;
using MlNetInverse.Models.VqVae;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetInverse.Tests.Models;

/// <summary>Small models and tensors shared by the model tests.</summary>
internal static class ModelTestData
{
    /// <summary>A 16x16-image model with a 4x4 latent grid: fast enough for many tests.</summary>
    public static VqVaeOptions TinyOptions(QuantizerUpdate update = QuantizerUpdate.Ema, int deadCodeThreshold = 0) => new()
    {
        ImageSize = 16,
        LatentGridSize = 4,
        CodebookSize = 8,
        CodeDimension = 3,
        HiddenChannels = 4,
        Update = update,
        DeadCodeThreshold = deadCodeThreshold,
    };

    /// <summary>Seeded random images [B, 1, S, S] in [0, 1) (torch's own generator, local to the call).</summary>
    public static Tensor Images(int count, int size, long seed)
    {
        var random = new Random((int)seed);
        var pixels = new float[count * size * size];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = (float)random.NextDouble();
        return tensor(pixels, [count, 1, size, size]);
    }

    /// <summary>Seeded random normal latents [B, D, G, G].</summary>
    public static Tensor Latents(int count, int dimension, int grid, long seed, double scale = 1)
    {
        var random = new Random((int)seed);
        var values = new float[count * dimension * grid * grid];
        for (int i = 0; i < values.Length; i++) values[i] = (float)(scale * (random.NextDouble() * 2 - 1));
        return tensor(values, [count, dimension, grid, grid]);
    }

    public static float[] Values(Tensor t) => t.detach().cpu().contiguous().to_type(ScalarType.Float32).data<float>().ToArray();

    /// <summary>Every value of every parameter and buffer, in state_dict order.</summary>
    public static float[] State(nn.Module module) =>
        module.state_dict().Values.SelectMany(t => Values(t)).ToArray();

    /// <summary>Replaces the codebook (and the EMA sum that mirrors it) in place.</summary>
    public static void SetCodebook(VectorQuantizer quantizer, float[,] codes)
    {
        using var noGrad = no_grad();
        using var source = tensor(codes);
        quantizer.Codebook.copy_(source);
        foreach (var (name, buffer) in quantizer.named_buffers())
            if (name == "ema_embed_sum") buffer.copy_(source);
    }
}
