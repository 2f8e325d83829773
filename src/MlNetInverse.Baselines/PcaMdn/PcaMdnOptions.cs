using MlNetInverse.Baselines.LatentMdn;
using MlNetInverse.Baselines.Shared;

namespace MlNetInverse.Baselines.PcaMdn;

/// <summary>
/// Settings of the PCA-MDN baseline (<see cref="PcaMdnTrainer"/>): the images and the principal components that are
/// the latent space; the MDN, binarization (default <see cref="BinarizationRule.PredictedVolumeFraction"/>: PCA
/// reconstructions are blurry), seed, device and threads are the shared <see cref="LatentMdnOptions"/>.
/// </summary>
public sealed record PcaMdnOptions : LatentMdnOptions
{
    /// <summary>Edge length of the images (pixels). Default 64.</summary>
    public int ImageSize { get; init; } = 64;

    /// <summary>
    /// Principal components kept k (components). Default 32: on the shipped 64x64 GRF maps they hold most of the
    /// coarse structure that sets the absorption (ring wavenumbers 1.5-4 cycles per cell), and 32 diagonal Gaussians
    /// per mixture component stay easy for the MDN to fit; more components mostly add pixel-level detail.
    /// </summary>
    public int Components { get; init; } = 32;

    internal override int LatentDimension => Components;

    internal override int DecodedImageSize => ImageSize;

    private protected override void ValidateLatentSpace()
    {
        const string owner = nameof(PcaMdnOptions);
        if (ImageSize < 2) throw BaselineArguments.BadOption(owner, nameof(ImageSize), ImageSize, "at least 2");
        if (Components < 1 || Components > ImageSize * ImageSize)
            throw BaselineArguments.BadOption(owner, nameof(Components), Components, $"between 1 and ImageSize^2 = {ImageSize * ImageSize}");
    }
}
