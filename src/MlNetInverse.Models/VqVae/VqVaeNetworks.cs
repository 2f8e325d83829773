using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MlNetInverse.Models.VqVae;

/// <summary>Builds the encoder and decoder stacks described in <see cref="VqVaeOptions"/>.</summary>
internal static class VqVaeNetworks
{
    /// <summary>Conv(1,H,4,2,1) ReLU Conv(H,2H,4,2,1) ReLU [Conv(2H,2H,4,2,1) ReLU]... Conv(2H,D,1).</summary>
    public static Sequential Encoder(VqVaeOptions options)
    {
        int h = options.HiddenChannels, wide = 2 * h;
        var layers = new List<nn.Module<Tensor, Tensor>>
        {
            nn.Conv2d(1, h, 4, stride: 2, padding: 1), nn.ReLU(),
            nn.Conv2d(h, wide, 4, stride: 2, padding: 1), nn.ReLU(),
        };
        for (int i = 2; i < options.DownsamplingSteps; i++)
        {
            layers.Add(nn.Conv2d(wide, wide, 4, stride: 2, padding: 1));
            layers.Add(nn.ReLU());
        }
        layers.Add(nn.Conv2d(wide, options.CodeDimension, 1));
        return Named(layers);
    }

    /// <summary>ConvT(D,2H,1) ReLU [ConvT(2H,2H,4,2,1) ReLU]... ConvT(2H,H,4,2,1) ReLU ConvT(H,1,4,2,1) Sigmoid.</summary>
    public static Sequential Decoder(VqVaeOptions options)
    {
        int h = options.HiddenChannels, wide = 2 * h;
        var layers = new List<nn.Module<Tensor, Tensor>> { nn.ConvTranspose2d(options.CodeDimension, wide, 1), nn.ReLU() };
        for (int i = 2; i < options.DownsamplingSteps; i++)
        {
            layers.Add(nn.ConvTranspose2d(wide, wide, 4, stride: 2, padding: 1));
            layers.Add(nn.ReLU());
        }
        layers.Add(nn.ConvTranspose2d(wide, h, 4, stride: 2, padding: 1));
        layers.Add(nn.ReLU());
        layers.Add(nn.ConvTranspose2d(h, 1, 4, stride: 2, padding: 1));
        layers.Add(nn.Sigmoid());
        return Named(layers);
    }

    // Index names ("0", "1", ...) as PyTorch's nn.Sequential uses, so state_dict keys read like the peer's.
    private static Sequential Named(List<nn.Module<Tensor, Tensor>> layers) =>
        nn.Sequential(layers.Select((layer, i) => (i.ToString(System.Globalization.CultureInfo.InvariantCulture), layer)));
}
