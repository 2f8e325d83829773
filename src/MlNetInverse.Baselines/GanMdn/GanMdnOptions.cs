using MlNetInverse.Baselines.LatentMdn;
using MlNetInverse.Baselines.Shared;

namespace MlNetInverse.Baselines.GanMdn;

/// <summary>
/// Settings of the GAN-MDN baseline (<see cref="GanMdnTrainer"/>): the DCGAN whose z is the latent space and the
/// labelled samples that pair z with absorption; the MDN, binarization, seed, device and threads are the shared
/// <see cref="LatentMdnOptions"/>.
/// </summary>
public sealed record GanMdnOptions : LatentMdnOptions
{
    /// <summary>The DCGAN. Default: 64x64 images, 8 latent values, 5 epochs.</summary>
    public GanOptions Gan { get; init; } = new();

    /// <summary>
    /// Generated samples G(z) whose (absorption, z) pairs train the MDN (samples). Default 5000 (as many as the shipped
    /// dataset holds). Each is binarized as at generation and labelled by the evaluator passed to the trainer.
    /// </summary>
    public int LabelledSamples { get; init; } = 5000;

    internal override int LatentDimension => Gan.LatentDimension;

    internal override int DecodedImageSize => Gan.ImageSize;

    private protected override void ValidateLatentSpace()
    {
        const string owner = nameof(GanMdnOptions);
        if (Gan is null) throw BaselineArguments.BadOption(owner, nameof(Gan), "null", "GAN options");
        Gan.Validate();
        if (LabelledSamples < 2) throw BaselineArguments.BadOption(owner, nameof(LabelledSamples), LabelledSamples, "at least 2 (one to train the MDN, one to test it)");
    }
}
