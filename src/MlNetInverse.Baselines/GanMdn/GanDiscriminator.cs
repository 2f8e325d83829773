using MlNetInverse.Baselines.Shared;
using MlNetInverse.Models.Training;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace MlNetInverse.Baselines.GanMdn;

/// <summary>
/// The DCGAN discriminator: average pooling by <see cref="GanOptions.DiscriminatorPooling"/>, strided convolutions
/// (circular padding, the cell being periodic) with LeakyReLU(0.2) down to 4x4, then two linear heads: one
/// real-versus-generated logit per image [B] (the features plus a minibatch-deviation feature), and a guess of the
/// latent z a generated image came from [B, L] (InfoGAN's Q network, Chen et al. 2016). Only training needs it, so it
/// is not saved with the method.
/// </summary>
/// <remarks>
/// On the shipped data a plain DCGAN (batch norm in both networks, full-resolution discriminator) collapsed within two
/// epochs: every z gave the same map (volume-fraction standard deviation 0.003 against the data's 0.23). What fixed it,
/// measured one change at a time: the latent guess (without it the generator still collapsed) and the pooling (without
/// it the discriminator wins on grey levels against exactly binary maps). No batch norm here, because real and
/// generated images go through in separate batches and batch statistics would hide a batch of identical images; the
/// minibatch deviation (mean over features of their standard deviation across the batch; Karras et al. 2018) shows the
/// head how varied a batch is.
/// </remarks>
internal sealed class GanDiscriminator : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "features")] private readonly Sequential _features;
    [ComponentName(Name = "head")] private readonly Linear _head;
    [ComponentName(Name = "latent_head")] private readonly Linear _latentHead;
    private readonly int _pooling;

    public GanDiscriminator(GanOptions options, long seed) : base(nameof(GanDiscriminator))
    {
        _pooling = options.DiscriminatorPooling;
        var (features, count) = ImageNetworks.Encoder(options.DiscriminatorChannels, options.ImageSize / _pooling, batchNorm: false);
        _features = features;
        _head = nn.Linear(count + 1, 1);
        _latentHead = nn.Linear(count, options.LatentDimension);
        RegisterComponents();
        ParameterInitializer.Initialize(this, seed);
    }

    /// <summary>Logits [B] for images [B, 1, S, S] (B at least 2: the deviation feature needs a batch).</summary>
    public override Tensor forward(Tensor images) => Discriminate(images).Logits;

    /// <summary>Logits [B] and the latent each image was generated from, as the discriminator guesses it [B, L].</summary>
    public (Tensor Logits, Tensor Latents) Discriminate(Tensor images)
    {
        using var scope = NewDisposeScope();
        var features = _features.call(_pooling > 1 ? nn.functional.avg_pool2d(images, _pooling) : images);
        var deviation = features.std(0L).mean().expand(features.shape[0], 1);
        var logits = _head.call(cat([features, deviation], 1)).squeeze(1);
        return (logits.MoveToOuterDisposeScope(), _latentHead.call(features).MoveToOuterDisposeScope());
    }
}
