using MlNetInverse.Baselines.Shared;
using MlNetInverse.Models.Training;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace MlNetInverse.Baselines.GanMdn;

/// <summary>
/// The DCGAN discriminator: strided convolutions (circular padding, the cell being periodic) with batch norm and
/// LeakyReLU(0.2) down to 4x4, then a linear head: one real-versus-generated logit per image [B]. Only training
/// needs it, so it is not saved with the method.
/// </summary>
internal sealed class GanDiscriminator : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "features")] private readonly Sequential _features;
    [ComponentName(Name = "head")] private readonly Linear _head;

    public GanDiscriminator(GanOptions options, long seed) : base(nameof(GanDiscriminator))
    {
        var (features, count) = ImageNetworks.Encoder(options.DiscriminatorChannels, options.ImageSize, batchNorm: true);
        _features = features;
        _head = nn.Linear(count, 1);
        RegisterComponents();
        SeededInitialization.Initialize(this, seed);
    }

    /// <summary>Logits [B] for images [B, 1, S, S].</summary>
    public override Tensor forward(Tensor images)
    {
        using var scope = NewDisposeScope();
        return _head.call(_features.call(images)).squeeze(1).MoveToOuterDisposeScope();
    }
}
