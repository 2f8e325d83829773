using MlNetInverse.Baselines.Shared;
using MlNetInverse.Models.Devices;
using MlNetInverse.Models.Mdn;
using MlNetInverse.Models.Persistence;
using MlNetInverse.Physics.Microstructures;
using MlNetInverse.Physics.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetInverse.Baselines.GanMdn;

/// <summary>
/// The GAN-MDN baseline (paper Table I; Yang et al. 2021, Mao et al. 2022): an MDN maps the target absorption to a
/// mixture over the DCGAN's latent z; each draw is decoded by the generator and binarized. Trained by
/// <see cref="GanMdnTrainer"/>.
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
/// Generation runs torch on one thread, so the same seed gives bit-identical maps on the CPU.
/// </remarks>
public sealed class GanMdnMethod : IInverseDesignMethod
{
    /// <summary>Kind name written in the saved header.</summary>
    public const string Kind = nameof(GanMdnMethod);

    /// <summary>Version of the saved format.</summary>
    public const int FormatVersion = 1;

    internal GanMdnMethod(GanMdnOptions options, GanGenerator generator, MixtureDensityNetwork mdn)
    {
        Options = options;
        Generator = generator;
        Mdn = mdn;
    }

    /// <inheritdoc/>
    public string Name => BaselineNames.GanMdn;

    /// <summary>The options the method was trained with.</summary>
    public GanMdnOptions Options { get; }

    /// <summary>The trained generator (eval mode).</summary>
    public GanGenerator Generator { get; }

    /// <summary>The MDN absorption -> latent z.</summary>
    public MixtureDensityNetwork Mdn { get; }

    /// <inheritdoc/>
    public IReadOnlyList<Microstructure> Generate(double targetAbsorption, int count, long seed, CancellationToken cancellationToken = default)
    {
        BaselineArguments.CheckGeneration(targetAbsorption, count);
        cancellationToken.ThrowIfCancellationRequested();
        using var threads = new TorchThreadScope(1);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var latents = Mdn.Sample(tensor(new[] { (float)targetAbsorption }), count, seed).reshape(count, Options.Gan.LatentDimension);
        var images = Generator.call(latents.to(Generator.Device));
        return MicrostructureBinarizer.Binarize(images, Options.Gan.ImageSize, Options.Binarization);
    }

    /// <inheritdoc/>
    public void Save(string path) => BaselineFile.Write(path, writer =>
    {
        ModelStream.WriteHeader(writer, Kind, FormatVersion, Options);
        Generator.save(writer);
        Mdn.Save(writer);
    });

    /// <summary>Reads a method saved by <see cref="Save"/>, onto <paramref name="device"/>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">Not a saved GAN-MDN, an unsupported version, or damaged parts.</exception>
    public static GanMdnMethod Load(string path, ComputeDevice device = ComputeDevice.Cpu) => BaselineFile.Read(path, reader =>
    {
        var options = ModelStream.ReadHeader<GanMdnOptions>(reader, Kind, FormatVersion);
        GanGenerator generator;
        try
        {
            options.Validate();
            generator = new GanGenerator(options.Gan, seed: 0);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"The saved {Kind} options are invalid: {e.Message}", e);
        }
        try
        {
            ModelStream.LoadWeights(generator, reader, Kind);
            generator.to(DeviceResolver.Resolve(device));
            generator.eval();
            var mdn = MixtureDensityNetwork.Load(reader, device);
            return new GanMdnMethod(options, generator, mdn);
        }
        catch
        {
            generator.Dispose();
            throw;
        }
    });

    /// <summary>Releases the generator and the MDN.</summary>
    public void Dispose()
    {
        Generator.Dispose();
        Mdn.Dispose();
    }
}
