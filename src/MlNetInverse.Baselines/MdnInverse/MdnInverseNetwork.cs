using MlNetInverse.Baselines.Shared;
using MlNetInverse.Models.Mdn;
using MlNetInverse.Models.Training;
using MlNetInverse.Physics.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace MlNetInverse.Baselines.MdnInverse;

/// <summary>
/// The network of the MDN-based deep learning inverse model: an encoder image -> code (strided convolutions, a linear
/// layer, and batch norm without affine parameters), a decoder code -> image logits (DCGAN-style transposed
/// convolutions) and a <see cref="MixtureDensityNetwork"/> absorption -> code, all trained together.
/// </summary>
/// <remarks>
/// The batch norm at the end of the encoder keeps every code dimension at zero mean and unit variance over a batch:
/// without it the encoder could shrink the codes and drive the mixture likelihood up without bound, and the decoder
/// would simply undo the scale. It also means the MDN's latent normalisation is the identity. Submodules:
/// <c>encoder.*</c>, <c>decoder.*</c>, <c>mdn.*</c> (with the MDN's normalisation buffers).
/// </remarks>
public sealed class MdnInverseNetwork : nn.Module
{
    [ComponentName(Name = "encoder")] private readonly Sequential _encoder;
    [ComponentName(Name = "decoder")] private readonly Sequential _decoder;
    [ComponentName(Name = "mdn")] private readonly MixtureDensityNetwork _mdn;

    /// <summary>Creates a network whose weights come from <paramref name="seed"/>.</summary>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    public MdnInverseNetwork(MdnInverseOptions options, long seed) : base(nameof(MdnInverseNetwork))
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        var (trunk, features) = ImageNetworks.Encoder(options.EncoderChannels, options.ImageSize, batchNorm: true);
        _encoder = ImageNetworks.Named([trunk, nn.Linear(features, options.CodeDimension), BatchNormalization.OneD(options.CodeDimension, affine: false)]);
        _decoder = ImageNetworks.Decoder(options.CodeDimension, options.DecoderChannels, options.ImageSize, batchNorm: true);
        _mdn = new MixtureDensityNetwork(options.MdnModelOptions, seed + 2);
        RegisterComponents();
        ParameterInitializer.Initialize(_encoder, seed);
        ParameterInitializer.Initialize(_decoder, seed + 1);
    }

    /// <summary>The options the network was built with.</summary>
    public MdnInverseOptions Options { get; }

    /// <summary>The MDN absorption -> code.</summary>
    public MixtureDensityNetwork Mdn => _mdn;

    /// <summary>The device the weights live on.</summary>
    public Device Device => _mdn.Device;

    /// <summary>Codes [B, L] of images [B, 1, S, S].</summary>
    public Tensor Encode(Tensor images) => _encoder.call(images);

    /// <summary>Image logits [B, 1, S, S] of codes [B, L]; sigmoid gives pixel values.</summary>
    public Tensor DecodeLogits(Tensor codes) => _decoder.call(codes);

    /// <summary>
    /// The training losses of a batch: reconstruction (binary cross-entropy summed over pixels, mean over images,
    /// nats), mixture NLL of the codes given the normalised absorption [B, 1] (mean over images, nats), and their
    /// weighted sum (<see cref="MdnInverseOptions.LikelihoodWeight"/>).
    /// </summary>
    internal (Tensor Total, Tensor Reconstruction, Tensor Nll) Losses(Tensor images, Tensor normalizedAbsorption)
    {
        using var scope = NewDisposeScope();
        var codes = Encode(images);
        long pixels = images.shape[2] * images.shape[3];
        var reconstruction = nn.functional.binary_cross_entropy_with_logits(DecodeLogits(codes), images).mul(HeldScalar.Of(pixels));
        var nll = MdnLoss.NegativeLogLikelihood(_mdn.call(normalizedAbsorption), codes);
        var total = reconstruction.Plus(nll.mul(HeldScalar.Of(Options.LikelihoodWeight)));
        return (total.MoveToOuterDisposeScope(), reconstruction.MoveToOuterDisposeScope(), nll.MoveToOuterDisposeScope());
    }
}
