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
        try
        {
            foreach (var (_, module) in root.named_modules().Prepend(("", root)))
            {
                switch (module)
                {
                    // Each output value of a convolution sums Cin/groups x kH x kW products.
                    case Conv2d conv:
                        removers.Add(conv.register_forward_hook((m, input, output) =>
                        {
                            total += output.numel() * Fan(conv.weight!, fromDimension: 1);
                            return output;
                        }).remove);
                        break;
                    // Each input value of a transposed convolution is scattered into Cout/groups x kH x kW outputs.
                    case ConvTranspose2d transposed:
                        removers.Add(transposed.register_forward_hook((m, input, output) =>
                        {
                            total += input.numel() * Fan(transposed.weight!, fromDimension: 1);
                            return output;
                        }).remove);
                        break;
                    case VqVae.PeriodicConvTranspose2d periodic:
                        removers.Add(periodic.register_forward_hook((m, input, output) =>
                        {
                            total += input.numel() * Fan(periodic.Weight, fromDimension: 1);
                            return output;
                        }).remove);
                        break;
                    case Linear linear:
                        removers.Add(linear.register_forward_hook((m, input, output) =>
                        {
                            total += output.numel() * linear.weight!.shape[1];
                            return output;
                        }).remove);
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

    private static long Fan(Tensor weight, int fromDimension)
    {
        long product = 1;
        for (int i = fromDimension; i < weight.dim(); i++) product *= weight.shape[i];
        return product;
    }
}
