using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MlNetInverse.Models.VqVae;

/// <summary>Builds the encoder and decoder stacks described in <see cref="VqVaeOptions"/>.</summary>
internal static class VqVaeNetworks
{
    /// <summary>The encoder of <see cref="VqVaeOptions.Architecture"/>.</summary>
    public static Sequential Encoder(VqVaeOptions options) => options.Architecture switch
    {
        VqVaeArchitecture.Residual => ResidualEncoder(options),
        VqVaeArchitecture.Periodic => PeriodicEncoder(options),
        _ => PeerEncoder(options),
    };

    /// <summary>The decoder of <see cref="VqVaeOptions.Architecture"/>.</summary>
    public static Sequential Decoder(VqVaeOptions options) => options.Architecture switch
    {
        VqVaeArchitecture.Residual => ResidualDecoder(options),
        VqVaeArchitecture.Periodic => PeriodicDecoder(options),
        _ => PeerDecoder(options),
    };

    /// <summary>Conv(1,H,4,2,1) ReLU Conv(H,2H,4,2,1) ReLU [Conv(2H,2H,4,2,1) ReLU]... Conv(2H,2H,3) Res Res ReLU Conv(2H,D,1), circular padding.</summary>
    private static Sequential ResidualEncoder(VqVaeOptions options)
    {
        int h = options.HiddenChannels, wide = 2 * h;
        var layers = new List<nn.Module<Tensor, Tensor>>
        {
            Circular(1, h, 4, stride: 2), nn.ReLU(),
            Circular(h, wide, 4, stride: 2), nn.ReLU(),
        };
        for (int i = 2; i < options.DownsamplingSteps; i++)
        {
            layers.Add(Circular(wide, wide, 4, stride: 2));
            layers.Add(nn.ReLU());
        }
        layers.Add(Circular(wide, wide, 3, stride: 1));
        layers.Add(new ResidualBlock(wide, h));
        layers.Add(new ResidualBlock(wide, h));
        layers.Add(nn.ReLU());
        layers.Add(nn.Conv2d(wide, options.CodeDimension, 1));
        return Named(layers);
    }

    /// <summary>Conv(D,2H,3) Res Res ReLU [Up Conv(2H,2H,3) ReLU]... Up Conv(2H,H,3) ReLU Up Conv(H,1,3) Sigmoid, circular padding.</summary>
    private static Sequential ResidualDecoder(VqVaeOptions options)
    {
        int h = options.HiddenChannels, wide = 2 * h;
        var layers = new List<nn.Module<Tensor, Tensor>>
        {
            Circular(options.CodeDimension, wide, 3, stride: 1),
            new ResidualBlock(wide, h),
            new ResidualBlock(wide, h),
            nn.ReLU(),
        };
        for (int i = 2; i < options.DownsamplingSteps; i++)
        {
            layers.Add(Upsample());
            layers.Add(Circular(wide, wide, 3, stride: 1));
            layers.Add(nn.ReLU());
        }
        layers.Add(Upsample());
        layers.Add(Circular(wide, h, 3, stride: 1));
        layers.Add(nn.ReLU());
        layers.Add(Upsample());
        layers.Add(Circular(h, 1, 3, stride: 1));
        layers.Add(nn.Sigmoid());
        return Named(layers);
    }

    // Kernel 4 with stride 2 and kernel 3 with stride 1 both keep "same" geometry with padding 1.
    private static Conv2d Circular(int input, int output, int kernel, int stride) =>
        nn.Conv2d(input, output, kernel, stride: stride, padding: 1, padding_mode: PaddingModes.Circular);

    private static Upsample Upsample() => nn.Upsample(scale_factor: new[] { 2.0, 2.0 }, mode: UpsampleMode.Nearest);

    /// <summary>Conv(1,H,4,2,1) ReLU Conv(H,2H,4,2,1) ReLU [Conv(2H,2H,4,2,1) ReLU]... Conv(2H,D,1).</summary>
    private static Sequential PeerEncoder(VqVaeOptions options)
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
    private static Sequential PeerDecoder(VqVaeOptions options)
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

    /// <summary>The peer encoder with circular padding: Conv(1,H,4,2,1c) ReLU Conv(H,2H,4,2,1c) ReLU [Conv(2H,2H,4,2,1c) ReLU]... Conv(2H,D,1).</summary>
    private static Sequential PeriodicEncoder(VqVaeOptions options)
    {
        int h = options.HiddenChannels, wide = 2 * h;
        var layers = new List<nn.Module<Tensor, Tensor>>
        {
            Circular(1, h, 4, stride: 2), nn.ReLU(),
            Circular(h, wide, 4, stride: 2), nn.ReLU(),
        };
        for (int i = 2; i < options.DownsamplingSteps; i++)
        {
            layers.Add(Circular(wide, wide, 4, stride: 2));
            layers.Add(nn.ReLU());
        }
        layers.Add(nn.Conv2d(wide, options.CodeDimension, 1));
        return Named(layers);
    }

    /// <summary>The peer decoder made periodic: ConvT(D,2H,1) ReLU [PConvT(2H,2H) ReLU]... PConvT(2H,H) ReLU PConvT(H,1) Sigmoid, with <see cref="PeriodicConvTranspose2d"/>.</summary>
    private static Sequential PeriodicDecoder(VqVaeOptions options)
    {
        int h = options.HiddenChannels, wide = 2 * h;
        var layers = new List<nn.Module<Tensor, Tensor>> { nn.ConvTranspose2d(options.CodeDimension, wide, 1), nn.ReLU() };
        for (int i = 2; i < options.DownsamplingSteps; i++)
        {
            layers.Add(new PeriodicConvTranspose2d(wide, wide));
            layers.Add(nn.ReLU());
        }
        layers.Add(new PeriodicConvTranspose2d(wide, h));
        layers.Add(nn.ReLU());
        layers.Add(new PeriodicConvTranspose2d(h, 1));
        layers.Add(nn.Sigmoid());
        return Named(layers);
    }

    // Index names ("0", "1", ...) as PyTorch's nn.Sequential uses, so state_dict keys read like the peer's.
    private static Sequential Named(List<nn.Module<Tensor, Tensor>> layers) =>
        nn.Sequential(layers.Select((layer, i) => (i.ToString(System.Globalization.CultureInfo.InvariantCulture), layer)));
}
