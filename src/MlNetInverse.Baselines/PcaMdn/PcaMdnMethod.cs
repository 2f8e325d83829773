using MlNetInverse.Baselines.LatentMdn;
using MlNetInverse.Models.Devices;
using MlNetInverse.Models.Mdn;
using static TorchSharp.torch;

namespace MlNetInverse.Baselines.PcaMdn;

/// <summary>
/// The PCA-MDN baseline (paper Table I; Yang et al. 2021): an MDN maps the target absorption to a mixture over the
/// images' principal-component coefficients; each draw is turned back into an image by the inverse PCA transform and
/// binarized (<see cref="LatentMdnOptions.Binarization"/>). Trained by <see cref="PcaMdnTrainer"/>; the MDN, generation
/// and the file are the shared <see cref="LatentMdnMethod{TOptions, TDecoder}"/>.
/// </summary>
/// <remarks>
/// <code>
/// *** Binary format ***
/// header   ModelStream header: kind "PcaMdnMethod", version 1, options (PcaMdnOptions) as JSON
/// basis    TorchSharp state_dict of the PrincipalComponentBasis: mean [P], components [k, P], explained_variance [k]
/// mdn      a saved MixtureDensityNetwork (its own header, then its weights)
/// </code>
/// </remarks>
public sealed class PcaMdnMethod : LatentMdnMethod<PcaMdnOptions, PrincipalComponentBasis>
{
    /// <summary>Kind name written in the saved header.</summary>
    public const string Kind = nameof(PcaMdnMethod);

    internal PcaMdnMethod(PcaMdnOptions options, PrincipalComponentBasis basis, MixtureDensityNetwork mdn)
        : base(options, basis, mdn)
    {
    }

    /// <inheritdoc/>
    public override string Name => BaselineNames.PcaMdn;

    /// <summary>The principal components of the training images.</summary>
    public PrincipalComponentBasis Basis => Decoder;

    private protected override string FileKind => Kind;

    private protected override Tensor Decode(Tensor latents) => Basis.Reconstruct(latents);

    /// <summary>Reads a method saved by <see cref="LatentMdnMethod{TOptions, TDecoder}.Save"/>, onto <paramref name="device"/>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">Not a saved PCA-MDN, an unsupported version, or damaged parts.</exception>
    public static PcaMdnMethod Load(string path, ComputeDevice device = ComputeDevice.Cpu) =>
        LoadParts(path, device, Kind, options => new PrincipalComponentBasis(options.ImageSize * options.ImageSize, options.Components),
            (options, basis, mdn) => new PcaMdnMethod(options, basis, mdn));
}
