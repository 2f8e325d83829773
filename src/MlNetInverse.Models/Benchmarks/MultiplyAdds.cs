using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MlNetInverse.Models.Benchmarks;

/// <summary>
/// Counts the multiply-adds of the convolutions and linear layers a forward pass runs, from the shapes each layer
/// actually sees (forward hooks), so benchmarks can turn seconds into GFLOP/s without a hand-kept formula per
/// architecture. Element-wise work (activations, padding, the sigmoid) is not counted: it is small next to the layers.
/// </summary>
public static class MultiplyAdds
{
    /// <summary>Multiply-adds of every Conv2d, ConvTranspose2d, PeriodicConvTranspose2d and Linear inside <paramref name="root"/> while <paramref name="forward"/> runs.</summary>
    public static long During(nn.Module root, Action forward)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(forward);
        long total = 0;
        var removers = new List<Action>();
        // Adds work(input, output) for every forward call of one layer; all four layer kinds are Module<Tensor, Tensor>.
        void Count(nn.Module<Tensor, Tensor> layer, Func<Tensor, Tensor, long> work) =>
            removers.Add(layer.register_forward_hook((_, input, output) =>
            {
                total += work(input, output);
                return output;
            }).remove);
        try
        {
            foreach (var (_, module) in root.named_modules().Prepend(("", root)))
            {
                switch (module)
                {
                    // Each output value of a convolution sums Cin/groups x kH x kW products.
                    case Conv2d conv:
                        Count(conv, (_, output) => output.numel() * Fan(conv.weight!));
                        break;
                    // Each input value of a transposed convolution is scattered into Cout/groups x kH x kW outputs.
                    case ConvTranspose2d transposed:
                        Count(transposed, (input, _) => input.numel() * Fan(transposed.weight!));
                        break;
                    case VqVae.PeriodicConvTranspose2d periodic:
                        Count(periodic, (input, _) => input.numel() * Fan(periodic.Weight));
                        break;
                    case Linear linear:
                        Count(linear, (_, output) => output.numel() * linear.weight!.shape[1]);
                        break;
                }
            }
            forward();
        }
        finally
        {
            foreach (var remove in removers) remove();
        }
        return total;
    }

    /// <summary>
    /// Multiply-adds per design of the decoder: <c>ByLayers</c> as its layers run one by one (the exported graph), and
    /// <c>AsScored</c> as scoring decodes code indices (<see cref="VqVae.VqVaeModel.DecodeIndices"/> without gradients):
    /// the same, except that where the CPU chain looks the first upsampling layer up per code
    /// (<see cref="VqVae.CodePhaseTable"/>) that layer counts as its lookups (bias and four taps: four adds per phase
    /// value) plus the code table built once per call of <paramref name="imagesPerCall"/> designs.
    /// </summary>
    public static (long AsScored, long ByLayers) OfIndexDecoding(VqVae.VqVaeModel model, int imagesPerCall)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfLessThan(imagesPerCall, 1);
        var options = model.Options;
        int g = options.LatentGridSize, d = options.CodeDimension;
        using var noGrad = no_grad();
        void Decode() => model.DecodeByLayers(zeros(new long[] { 1, d, g, g }, device: model.Device)).Dispose();
        long layers = During(model, Decode);
        if (model.ScoringChain is not { HasCodePhaseTable: true } chain || model.Device.type != DeviceType.CPU) return (layers, layers);
        var first = chain.FirstUpsampling;
        long inputs = first.Weight.shape[0], phases = 4 * first.Weight.shape[1];
        long lookups = (g + 1L) * (g + 1) * phases * 4;
        long table = (long)options.CodebookSize * inputs * phases * 4 / imagesPerCall;
        return (layers - During(first, Decode) + lookups + table, layers);
    }

    // Product of a weight's dimensions after the first: what one output (convolution) or one input (transposed) touches.
    private static long Fan(Tensor weight)
    {
        long product = 1;
        for (int i = 1; i < weight.dim(); i++) product *= weight.shape[i];
        return product;
    }
}
