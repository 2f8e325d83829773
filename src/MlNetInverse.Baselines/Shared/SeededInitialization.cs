using MlNetInverse.Models.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MlNetInverse.Baselines.Shared;

/// <summary>
/// Seeded initialisation of the linear and (transposed) convolution layers of a network that also holds batch norm:
/// PyTorch's default distribution (uniform in +-1/sqrt(fan_in), fan_in = size(1) x kernel area, for weight and bias)
/// drawn from <see cref="SeededRandom"/> streams keyed by the layer's position, never from torch's global generator.
/// </summary>
/// <remarks>
/// The models' <see cref="ParameterInitializer"/> does the same for networks without batch norm, but it pairs every
/// "*.bias" with its "*.weight" and reads dimension 1 of that weight, which a batch-norm layer's 1-D weight lacks.
/// Batch-norm layers keep their fixed start (weight 1, bias 0).
/// </remarks>
internal static class SeededInitialization
{
    private const long LayerKey = 3001;

    public static void Initialize(nn.Module network, long seed)
    {
        using var noGrad = no_grad();
        int layer = 0;
        foreach (var (_, module) in network.named_modules())
        {
            var (weight, bias) = module switch
            {
                Linear linear => (linear.weight, linear.bias),
                Conv2d conv => (conv.weight, conv.bias),
                ConvTranspose2d transposed => (transposed.weight, transposed.bias),
                _ => (null, null),
            };
            if (weight is null) continue;
            long fanIn = weight.shape[1];
            for (int d = 2; d < weight.dim(); d++) fanIn *= weight.shape[d];
            double bound = 1.0 / Math.Sqrt(fanIn);
            var random = new SeededRandom(seed, LayerKey, layer++);
            Fill(weight, random, bound);
            if (bias is not null) Fill(bias, random, bound);
        }
    }

    private static void Fill(Tensor parameter, SeededRandom random, double bound)
    {
        using var values = tensor(random.Uniform(parameter.numel(), bound), parameter.shape, dtype: parameter.dtype);
        parameter.copy_(values);
    }
}
