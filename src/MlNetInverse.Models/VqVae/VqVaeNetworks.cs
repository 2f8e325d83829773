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
        VqVaeArchitecture.Periodic => StridedEncoder(options, StridedCircular),
        _ => StridedEncoder(options, StridedZeroPadded),
    };

    /// <summary>The decoder of <see cref="VqVaeOptions.Architecture"/>.</summary>
    public static Sequential Decoder(VqVaeOptions options) => options.Architecture switch
    {
        VqVaeArchitecture.Residual => ResidualDecoder(options),
        VqVaeArchitecture.Periodic => TransposedDecoder(options, (input, output) => new PeriodicConvTranspose2d(input, output)),
        _ => TransposedDecoder(options, (input, output) => nn.ConvTranspose2d(input, output, 4, stride: 2, padding: 1)),
    };

    /// <summary>Conv(1,H,4,2,1) ReLU Conv(H,2H,4,2,1) ReLU [Conv(2H,2H,4,2,1) ReLU]... Conv(2H,2H,3) Res Res ReLU Conv(2H,D,1), circular padding.</summary>
    private static Sequential ResidualEncoder(VqVaeOptions options)
    {
        int h = options.HiddenChannels, wide = 2 * h;
        var layers = StridedStages(options, StridedCircular);
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

    /// <summary>The stride-2 stages, then Conv(2H,D,1): the peer's encoder with zero padding, the periodic one with circular padding.</summary>
    private static Sequential StridedEncoder(VqVaeOptions options, Func<int, int, Conv2d> strided)
    {
        var layers = StridedStages(options, strided);
        layers.Add(nn.Conv2d(2 * options.HiddenChannels, options.CodeDimension, 1));
        return Named(layers);
    }

    /// <summary>Conv(1,H,4,2,1) ReLU Conv(H,2H,4,2,1) ReLU [Conv(2H,2H,4,2,1) ReLU]...: every encoder's start, one stage per halving.</summary>
    private static List<nn.Module<Tensor, Tensor>> StridedStages(VqVaeOptions options, Func<int, int, Conv2d> strided)
    {
        int h = options.HiddenChannels, wide = 2 * h;
        var layers = new List<nn.Module<Tensor, Tensor>> { strided(1, h), nn.ReLU(), strided(h, wide), nn.ReLU() };
        for (int i = 2; i < options.DownsamplingSteps; i++)
        {
            layers.Add(strided(wide, wide));
            layers.Add(nn.ReLU());
        }
        return layers;
    }

    private static Conv2d StridedZeroPadded(int input, int output) => nn.Conv2d(input, output, 4, stride: 2, padding: 1);

    private static Conv2d StridedCircular(int input, int output) => Circular(input, output, 4, stride: 2);

    /// <summary>
    /// ConvT(D,2H,1) ReLU [Up(2H,2H) ReLU]... Up(2H,H) ReLU Up(H,1) Sigmoid, where Up is a 4x4 stride-2 transposed
    /// convolution: zero-padded for the peer, <see cref="PeriodicConvTranspose2d"/> for the periodic stacks.
    /// </summary>
    private static Sequential TransposedDecoder(VqVaeOptions options, Func<int, int, nn.Module<Tensor, Tensor>> upsampling)
    {
        int h = options.HiddenChannels, wide = 2 * h;
        var layers = new List<nn.Module<Tensor, Tensor>> { nn.ConvTranspose2d(options.CodeDimension, wide, 1), nn.ReLU() };
        for (int i = 2; i < options.DownsamplingSteps; i++)
        {
            layers.Add(upsampling(wide, wide));
            layers.Add(nn.ReLU());
        }
        layers.Add(upsampling(wide, h));
        layers.Add(nn.ReLU());
        layers.Add(upsampling(h, 1));
        layers.Add(nn.Sigmoid());
        return Named(layers);
    }

    // Index names ("0", "1", ...) as PyTorch's nn.Sequential uses, so state_dict keys read like the peer's.
    private static Sequential Named(List<nn.Module<Tensor, Tensor>> layers) =>
        nn.Sequential(layers.Select((layer, i) => (i.ToString(System.Globalization.CultureInfo.InvariantCulture), layer)));
}
