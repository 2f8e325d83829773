using MlNetInverse.Baselines.Shared;
using MlNetInverse.Models.Devices;
using MlNetInverse.Models.Mdn;
using MlNetInverse.Models.Persistence;
using MlNetInverse.Physics.Microstructures;
using MlNetInverse.Physics.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetInverse.Baselines.PcaMdn;

/// <summary>
/// The PCA-MDN baseline (paper Table I; Yang et al. 2021): an MDN maps the target absorption to a mixture over the
/// images' principal-component coefficients; each draw is turned back into an image by the inverse PCA transform and
/// binarized (<see cref="PcaMdnOptions.Binarization"/>). Trained by <see cref="PcaMdnTrainer"/>.
/// </summary>
/// <remarks>
/// <code>
/// *** Binary format ***
/// header   ModelStream header: kind "PcaMdnMethod", version 1, options (PcaMdnOptions) as JSON
/// basis    TorchSharp state_dict of the PrincipalComponentBasis: mean [P], components [k, P], explained_variance [k]
/// mdn      a saved MixtureDensityNetwork (its own header, then its weights)
/// </code>
/// Generation runs torch on one thread, so the same seed gives bit-identical maps on the CPU.
/// </remarks>
public sealed class PcaMdnMethod : IInverseDesignMethod
{
    /// <summary>Kind name written in the saved header.</summary>
    public const string Kind = nameof(PcaMdnMethod);

    /// <summary>Version of the saved format.</summary>
    public const int FormatVersion = 1;

    internal PcaMdnMethod(PcaMdnOptions options, PrincipalComponentBasis basis, MixtureDensityNetwork mdn)
    {
        Options = options;
        Basis = basis;
        Mdn = mdn;
    }

    /// <inheritdoc/>
    public string Name => BaselineNames.PcaMdn;

    /// <summary>The options the method was trained with.</summary>
    public PcaMdnOptions Options { get; }

    /// <summary>The principal components of the training images.</summary>
    public PrincipalComponentBasis Basis { get; }

    /// <summary>The MDN absorption -> principal-component coefficients.</summary>
    public MixtureDensityNetwork Mdn { get; }

    /// <inheritdoc/>
    public IReadOnlyList<Microstructure> Generate(double targetAbsorption, int count, long seed, CancellationToken cancellationToken = default)
    {
        BaselineArguments.CheckGeneration(targetAbsorption, count);
        cancellationToken.ThrowIfCancellationRequested();
        using var threads = new TorchThreadScope(1);
        using var scope = NewDisposeScope();
        var coefficients = Mdn.Sample(tensor(new[] { (float)targetAbsorption }), count, seed).reshape(count, Basis.Components);
        var images = Basis.Reconstruct(coefficients);
        return MicrostructureBinarizer.Binarize(images, Options.ImageSize, Options.Binarization);
    }

    /// <inheritdoc/>
    public void Save(string path) => BaselineFile.Write(path, writer =>
    {
        ModelStream.WriteHeader(writer, Kind, FormatVersion, Options);
        Basis.save(writer);
        Mdn.Save(writer);
    });

    /// <summary>Reads a method saved by <see cref="Save"/>, onto <paramref name="device"/>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">Not a saved PCA-MDN, an unsupported version, or damaged parts.</exception>
    public static PcaMdnMethod Load(string path, ComputeDevice device = ComputeDevice.Cpu) => BaselineFile.Read(path, reader =>
    {
        var options = ModelStream.ReadHeader<PcaMdnOptions>(reader, Kind, FormatVersion);
        try
        {
            options.Validate();
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"The saved {Kind} options are invalid: {e.Message}", e);
        }
        var basis = new PrincipalComponentBasis(options.ImageSize * options.ImageSize, options.Components);
        try
        {
            ModelStream.LoadWeights(basis, reader, Kind);
            basis.to(DeviceResolver.Resolve(device));
            var mdn = MixtureDensityNetwork.Load(reader, device);
            return new PcaMdnMethod(options, basis, mdn);
        }
        catch
        {
            basis.Dispose();
            throw;
        }
    });

    /// <summary>Releases the basis and the MDN.</summary>
    public void Dispose()
    {
        Basis.Dispose();
        Mdn.Dispose();
    }
}
