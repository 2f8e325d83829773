using MlNetInverse.Baselines.Shared;
using MlNetInverse.Models.Devices;
using MlNetInverse.Models.Persistence;
using MlNetInverse.Physics.Microstructures;
using MlNetInverse.Physics.Runtime;
using static TorchSharp.torch;

namespace MlNetInverse.Baselines.MdnInverse;

/// <summary>
/// The "MDN-based deep learning inverse model" of the paper's Table I (from Mao et al. 2022, the paper's ref [23]): a
/// single deep network that goes from the target absorption to an image through a mixture density network, trained
/// end to end on (image, absorption) pairs, with no separately trained generative model in between.
/// </summary>
/// <remarks>
/// <para>
/// Design: the MDN models a compact learned code (<see cref="MdnInverseOptions.CodeDimension"/> values) rather than
/// the 4,096 pixels, because a diagonal Gaussian mixture over raw pixels draws independent pixel noise around a few
/// mean images. The code's decoder is trained jointly with the mixture likelihood (an encoder supplies each training
/// image's code), so the code is shaped by the absorption as well as by the image: this joint, end-to-end training is
/// what sets it apart from PCA-MDN (fixed linear code) and GAN-MDN (code fixed by a GAN before the MDN is fitted),
/// and the continuous, unquantized code sets it apart from the proposed VQ-VAE + MDN. See the Baselines README.
/// </para>
/// <code>
/// *** Binary format ***
/// header   ModelStream header: kind "MdnInverseMethod", version 1, options (MdnInverseOptions) as JSON
/// weights  TorchSharp state_dict of the MdnInverseNetwork: encoder.*, decoder.*, mdn.* (MDN normalisation included)
/// </code>
/// Generation runs torch on one thread, so the same seed gives bit-identical maps on the CPU.
/// </remarks>
public sealed class MdnInverseMethod : IInverseDesignMethod
{
    /// <summary>Kind name written in the saved header.</summary>
    public const string Kind = nameof(MdnInverseMethod);

    /// <summary>Version of the saved format.</summary>
    public const int FormatVersion = 1;

    internal MdnInverseMethod(MdnInverseNetwork network) => Network = network;

    /// <inheritdoc/>
    public string Name => BaselineNames.MdnInverse;

    /// <summary>The trained network (eval mode).</summary>
    public MdnInverseNetwork Network { get; }

    /// <summary>The options the method was trained with.</summary>
    public MdnInverseOptions Options => Network.Options;

    /// <inheritdoc/>
    public IReadOnlyList<Microstructure> Generate(double targetAbsorption, int count, long seed, CancellationToken cancellationToken = default)
    {
        BaselineArguments.CheckGeneration(targetAbsorption, count);
        cancellationToken.ThrowIfCancellationRequested();
        using var threads = new TorchThreadScope(1);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var codes = Network.Mdn.Sample(tensor(new[] { (float)targetAbsorption }), count, seed).reshape(count, Options.CodeDimension);
        var images = Network.DecodeLogits(codes).sigmoid();
        return MicrostructureBinarizer.Binarize(images, Options.ImageSize, Options.Binarization);
    }

    /// <inheritdoc/>
    public void Save(string path) => BaselineFile.Write(path, writer => ModelStream.Save(Network, writer, Kind, FormatVersion, Options));

    /// <summary>Reads a method saved by <see cref="Save"/>, onto <paramref name="device"/>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">Not a saved MDN inverse model, an unsupported version, or damaged weights.</exception>
    public static MdnInverseMethod Load(string path, ComputeDevice device = ComputeDevice.Cpu) => BaselineFile.Read(path, reader =>
        new MdnInverseMethod(ModelStream.Load<MdnInverseNetwork, MdnInverseOptions>(reader, Kind, FormatVersion, options => new MdnInverseNetwork(options, 0), device)));

    /// <summary>Releases the network.</summary>
    public void Dispose() => Network.Dispose();
}
