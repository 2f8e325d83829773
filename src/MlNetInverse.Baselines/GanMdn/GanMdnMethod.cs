using MlNetInverse.Baselines.LatentMdn;
using MlNetInverse.Models.Devices;
using MlNetInverse.Models.Mdn;
using static TorchSharp.torch;

namespace MlNetInverse.Baselines.GanMdn;

/// <summary>
/// The GAN-MDN baseline (paper Table I; Yang et al. 2021, Mao et al. 2022): an MDN maps the target absorption to a
/// mixture over the DCGAN's latent z; each draw is decoded by the generator and binarized. Trained by
/// <see cref="GanMdnTrainer"/>; the MDN, generation and the file are the shared <see cref="LatentMdnMethod{TOptions, TDecoder}"/>.
/// </summary>
/// <remarks>
/// The public GAN-MDN code picks one mixture component per target and draws all samples from it, and uses sigma as a
/// variance; here every draw picks its own component and sigma is the standard deviation
/// (<see cref="MixtureDensityNetwork.Sample"/>).
/// <code>
/// *** Binary format ***
/// header     ModelStream header: kind "GanMdnMethod", version 1, options (GanMdnOptions) as JSON
/// generator  TorchSharp state_dict of the GanGenerator (network.*, batch-norm running statistics included)
/// mdn        a saved MixtureDensityNetwork (its own header, then its weights)
/// </code>
/// </remarks>
public sealed class GanMdnMethod : LatentMdnMethod<GanMdnOptions, GanGenerator>
{
    /// <summary>Kind name written in the saved header.</summary>
    public const string Kind = nameof(GanMdnMethod);

    internal GanMdnMethod(GanMdnOptions options, GanGenerator generator, MixtureDensityNetwork mdn)
        : base(options, generator, mdn)
    {
    }

    /// <inheritdoc/>
    public override string Name => BaselineNames.GanMdn;

    /// <summary>The trained generator (eval mode).</summary>
    public GanGenerator Generator => Decoder;

    private protected override string FileKind => Kind;

    private protected override Tensor Decode(Tensor latents) => Generator.call(latents.to(Generator.Device));

    /// <summary>Reads a method saved by <see cref="LatentMdnMethod{TOptions, TDecoder}.Save"/>, onto <paramref name="device"/>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">Not a saved GAN-MDN, an unsupported version, or damaged parts.</exception>
    public static GanMdnMethod Load(string path, ComputeDevice device = ComputeDevice.Cpu) =>
        LoadParts(path, device, Kind, options => new GanGenerator(options.Gan, seed: 0), (options, generator, mdn) => new GanMdnMethod(options, generator, mdn));
}
