using TorchSharp;
using static TorchSharp.torch;

namespace MlNetInverse.Models.Training;

/// <summary>
/// Seeded initialization of convolution and linear layers with PyTorch's default distribution (uniform in
/// +-1/sqrt(fan_in) for weights and biases, fan_in = size(1) * kernel area), drawn from <see cref="SeededRandom"/>
/// instead of torch's global generator, so a model built from a seed is identical whatever else runs in the process.
/// </summary>
internal static class ParameterInitializer
{
    /// <summary>
    /// Re-initializes every weight with 2+ dims (convolutions, linear layers; "weight" or "*.weight") and its layer's
    /// bias. Parameters of other layers, such as batch norm's 1-D weight and bias, keep their start values.
    /// </summary>
    public static void Initialize(nn.Module module, long seed)
    {
        var parameters = module.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        using var noGrad = no_grad();
        int index = 0;
        foreach (var (name, parameter) in parameters)
        {
            index++;
            Tensor? weight = null;
            if (IsLeaf(name, "weight") && parameter.dim() >= 2) weight = parameter;
            else if (IsLeaf(name, "bias") && parameters.TryGetValue(name[..^"bias".Length] + "weight", out var w) && w.dim() >= 2) weight = w;
            if (weight is null) continue;

            long fanIn = weight.shape[1];
            for (int d = 2; d < weight.dim(); d++) fanIn *= weight.shape[d];
            var values = new SeededRandom(seed, SeededRandom.Purpose.Initialization, index).Uniform(parameter.numel(), 1.0 / Math.Sqrt(fanIn));
            using var source = tensor(values, parameter.shape, dtype: parameter.dtype);
            parameter.copy_(source);
        }
    }

    private static bool IsLeaf(string name, string leaf) =>
        name == leaf || name.EndsWith("." + leaf, StringComparison.Ordinal);
}
