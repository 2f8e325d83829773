using MlNetInverse.Baselines.Shared;
using MlNetInverse.Models.Devices;
using MlNetInverse.Models.Mdn;
using MlNetInverse.Models.Persistence;
using MlNetInverse.Physics.Microstructures;
using MlNetInverse.Physics.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetInverse.Baselines.LatentMdn;

/// <summary>
/// An "MDN over a latent space + decoder + binarize" baseline: an MDN maps the target absorption to a mixture over a
/// latent space; each draw is decoded to an image and binarized (<see cref="LatentMdnOptions.Binarization"/>).
/// PCA-MDN (principal-component coefficients, inverse PCA) and GAN-MDN (the DCGAN's z, its generator) configure it
/// with their latent space and decoder.
/// </summary>
/// <remarks>
/// <code>
/// *** Binary format ***
/// header   ModelStream header: the baseline's kind, version 1, its options as JSON
/// decoder  TorchSharp state_dict of the decoder
/// mdn      a saved MixtureDensityNetwork (its own header, then its weights)
/// </code>
/// Generation runs torch on one thread, so the same seed gives bit-identical maps on the CPU. Every draw picks its own
/// mixture component and sigma is the standard deviation (<see cref="MixtureDensityNetwork.Sample"/>).
/// </remarks>
/// <typeparam name="TOptions">The baseline's options.</typeparam>
/// <typeparam name="TDecoder">The decoder latent -> image.</typeparam>
public abstract class LatentMdnMethod<TOptions, TDecoder> : IInverseDesignMethod
    where TOptions : LatentMdnOptions
    where TDecoder : nn.Module
{
    /// <summary>Version of the saved format.</summary>
    public const int FormatVersion = 1;

    private protected LatentMdnMethod(TOptions options, TDecoder decoder, MixtureDensityNetwork mdn)
    {
        Options = options;
        Decoder = decoder;
        Mdn = mdn;
    }

    /// <inheritdoc/>
    public abstract string Name { get; }

    /// <summary>The options the method was trained with.</summary>
    public TOptions Options { get; }

    /// <summary>The MDN absorption -> latent.</summary>
    public MixtureDensityNetwork Mdn { get; }

    /// <summary>The decoder latent -> image.</summary>
    private protected TDecoder Decoder { get; }

    /// <summary>Kind name written in the saved header.</summary>
    private protected abstract string FileKind { get; }

    /// <summary>Images (values in about [0, 1]) for latents [count, L] on the CPU.</summary>
    private protected abstract Tensor Decode(Tensor latents);

    /// <inheritdoc/>
    public IReadOnlyList<Microstructure> Generate(double targetAbsorption, int count, long seed, CancellationToken cancellationToken = default)
    {
        BaselineArguments.CheckGeneration(targetAbsorption, count);
        cancellationToken.ThrowIfCancellationRequested();
        using var threads = new TorchThreadScope(1);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var latents = Mdn.Sample(tensor(new[] { (float)targetAbsorption }), count, seed).reshape(count, Options.LatentDimension);
        return MicrostructureBinarizer.Binarize(Decode(latents), Options.DecodedImageSize, Options.Binarization);
    }

    /// <inheritdoc/>
    public void Save(string path) => BaselineFile.Write(path, writer =>
    {
        ModelStream.WriteHeader(writer, FileKind, FormatVersion, Options);
        Decoder.save(writer);
        Mdn.Save(writer);
    });

    /// <summary>Reads a method saved by <see cref="Save"/>, onto <paramref name="device"/>.</summary>
    /// <param name="path">The saved file.</param>
    /// <param name="device">Where to put the decoder and the MDN.</param>
    /// <param name="kind">The kind the header must name.</param>
    /// <param name="newDecoder">An empty decoder for valid options (weights follow from the file).</param>
    /// <param name="create">The method from its parts.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">Not a saved method of <paramref name="kind"/>, an unsupported version, or damaged parts.</exception>
    private protected static TMethod LoadParts<TMethod>(
        string path, ComputeDevice device, string kind, Func<TOptions, TDecoder> newDecoder, Func<TOptions, TDecoder, MixtureDensityNetwork, TMethod> create) =>
        BaselineFile.Read(path, reader =>
        {
            var options = ModelStream.ReadHeader<TOptions>(reader, kind, FormatVersion);
            TDecoder decoder;
            try
            {
                options.Validate();
                decoder = newDecoder(options);
            }
            catch (ArgumentException e)
            {
                throw new InvalidDataException($"The saved {kind} options are invalid: {e.Message}", e);
            }
            try
            {
                ModelStream.LoadWeights(decoder, reader, kind);
                decoder.to(DeviceResolver.Resolve(device));
                decoder.eval();
                var mdn = MixtureDensityNetwork.Load(reader, device);
                return create(options, decoder, mdn);
            }
            catch
            {
                decoder.Dispose();
                throw;
            }
        });

    /// <summary>Releases the decoder and the MDN.</summary>
    public void Dispose()
    {
        Decoder.Dispose();
        Mdn.Dispose();
    }
}
