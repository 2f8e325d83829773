using System.Globalization;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MlNetInverse.Baselines.Shared;

/// <summary>
/// The convolutional stacks the GAN and the MDN inverse model share: an up-sampling decoder (vector -> 4x4 feature map
/// -> transposed convolutions doubling the size up to S x S, DCGAN style) and a down-sampling encoder (strided
/// convolutions halving the size down to 4x4). Image sizes are powers of two from 8.
/// </summary>
internal static class ImageNetworks
{
    /// <summary>Doubling (or halving) steps between 4x4 and <paramref name="imageSize"/>.</summary>
    public static int Steps(int imageSize) => (int)Math.Round(Math.Log2(imageSize / 4.0));

    /// <summary>True for the sizes the stacks support: powers of two from 8 to 256.</summary>
    public static bool IsSupportedSize(int imageSize) => imageSize is >= 8 and <= 256 && (imageSize & (imageSize - 1)) == 0;

    /// <summary>
    /// Linear(L, 4C*16) [BN] ReLU, unflatten to [4C, 4, 4], then per step ConvT(4, stride 2) [BN] ReLU halving the
    /// channels (at least 1), and a last ConvT to 1 channel: logits [B, 1, S, S] (no activation).
    /// </summary>
    public static Sequential Decoder(int latentDimension, int channels, int imageSize, bool batchNorm)
    {
        int steps = Steps(imageSize), width = 4 * channels;
        var layers = new List<nn.Module<Tensor, Tensor>> { nn.Linear(latentDimension, width * 16) };
        if (batchNorm) layers.Add(BatchNormalization.OneD(width * 16));
        layers.Add(nn.ReLU());
        layers.Add(nn.Unflatten(1, [width, 4, 4]));
        for (int i = 0; i < steps - 1; i++)
        {
            int next = Math.Max(width / 2, 1);
            layers.Add(nn.ConvTranspose2d(width, next, 4, stride: 2, padding: 1));
            if (batchNorm) layers.Add(BatchNormalization.TwoD(next));
            layers.Add(nn.ReLU());
            width = next;
        }
        layers.Add(nn.ConvTranspose2d(width, 1, 4, stride: 2, padding: 1));
        return Named(layers);
    }

    /// <summary>
    /// Per step Conv(4, stride 2, circular padding: the cell is periodic) [BN, not on the first] LeakyReLU(0.2),
    /// channels C, 2C, 4C...; then flatten. Returns the stack and its feature count (last channels x 16).
    /// </summary>
    public static (Sequential Network, int Features) Encoder(int channels, int imageSize, bool batchNorm)
    {
        int steps = Steps(imageSize), width = 1;
        var layers = new List<nn.Module<Tensor, Tensor>>();
        for (int i = 0; i < steps; i++)
        {
            int next = channels << i;
            layers.Add(nn.Conv2d(width, next, 4, stride: 2, padding: 1, padding_mode: PaddingModes.Circular));
            if (batchNorm && i > 0) layers.Add(BatchNormalization.TwoD(next));
            layers.Add(new LeakyRelu(0.2));
            width = next;
        }
        layers.Add(nn.Flatten());
        return (Named(layers), width * 16);
    }

    /// <summary>Index names ("0", "1", ...) as PyTorch's nn.Sequential uses.</summary>
    public static Sequential Named(IEnumerable<nn.Module<Tensor, Tensor>> layers) =>
        nn.Sequential(layers.Select((layer, i) => (i.ToString(CultureInfo.InvariantCulture), layer)));
}
