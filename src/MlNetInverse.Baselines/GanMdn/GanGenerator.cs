using MlNetInverse.Baselines.Shared;
using MlNetInverse.Models.Training;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace MlNetInverse.Baselines.GanMdn;

/// <summary>
/// The DCGAN generator: latent z [B, L] -> Linear to a 4x4 map -> transposed convolutions with batch norm and ReLU,
/// doubling to S x S -> sigmoid: images [B, 1, S, S] in (0, 1). Weights are drawn from a seed (PyTorch's default
/// distribution through the models' seeded initializer), never from torch's global generator.
/// </summary>
public sealed class GanGenerator : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "network")] private readonly Sequential _network;

    /// <summary>Creates a generator whose weights come from <paramref name="seed"/>.</summary>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    public GanGenerator(GanOptions options, long seed) : base(nameof(GanGenerator))
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        _network = ImageNetworks.Decoder(options.LatentDimension, options.GeneratorChannels, options.ImageSize, batchNorm: true);
        RegisterComponents();
        ParameterInitializer.Initialize(this, seed);
    }

    /// <summary>The options the generator was built with.</summary>
    public GanOptions Options { get; }

    /// <summary>The device the weights live on.</summary>
    public Device Device => _network.parameters().First().device;

    /// <summary>Images [B, 1, S, S] in (0, 1) for latents [B, L].</summary>
    /// <exception cref="ArgumentException">Latents that are not a floating-point [B, L] tensor.</exception>
    public override Tensor forward(Tensor latents)
    {
        ArgumentNullException.ThrowIfNull(latents);
        if (latents.dim() != 2 || latents.shape[1] != Options.LatentDimension || !latents.is_floating_point())
            throw new ArgumentException(
                $"The generator takes floating-point latents [B, {Options.LatentDimension}]; got {latents.dtype} [{string.Join(", ", latents.shape)}].", nameof(latents));
        using var scope = NewDisposeScope();
        return _network.call(latents).sigmoid().MoveToOuterDisposeScope();
    }
}
