using MlNetInverse.Models.Devices;
using MlNetInverse.Models.Persistence;
using MlNetInverse.Physics.Storage;
using TorchSharp;

namespace MlNetInverse.Models.Mdn;

/// <summary>Saving and loading (see <see cref="ModelStream"/> for the header in front of the weights).</summary>
/// <remarks>
/// <code>
/// *** Binary format ***
/// header   ModelStream header: kind "MixtureDensityNetwork", version 1, options (MdnOptions) as JSON
/// weights  TorchSharp state_dict: trunk.*, weights.*, means.*, sigmas.* and the buffers absorption_mean,
///          absorption_std, latent_mean, latent_std (float32) and absorption_range (float64 [min, max])
/// </code>
/// </remarks>
public sealed partial class MixtureDensityNetwork
{
    /// <summary>Writes the header (options as JSON) and the weights; the writer stays open.</summary>
    public void Save(BinaryWriter writer) => ModelStream.Save(this, writer, Kind, FormatVersion, Options);

    /// <summary>Writes the model to the file <paramref name="path"/> atomically (temp file in the same folder, then rename).</summary>
    public void Save(string path) => AtomicFile.Write(path, Save);

    /// <summary>Writes the model to <paramref name="stream"/>, which stays open.</summary>
    public void Save(Stream stream) => ModelStream.Save(stream, Save);

    /// <summary>Rebuilds a model saved by <see cref="Save(BinaryWriter)"/>: built and loaded on the CPU, then moved to <paramref name="device"/>, in eval mode.</summary>
    /// <exception cref="InvalidDataException">Not a saved MixtureDensityNetwork, an unsupported version, or weights that do not match the options.</exception>
    public static MixtureDensityNetwork Load(BinaryReader reader, ComputeDevice device = ComputeDevice.Cpu) =>
        ModelStream.Load<MixtureDensityNetwork, MdnOptions>(reader, Kind, FormatVersion, options => new MixtureDensityNetwork(options), device);

    /// <summary>Reads a model saved by <see cref="Save(string)"/>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static MixtureDensityNetwork Load(string path, ComputeDevice device = ComputeDevice.Cpu) =>
        ModelStream.Load(path, stream => Load(stream, device));

    /// <summary>Reads a model from <paramref name="stream"/>, which stays open.</summary>
    public static MixtureDensityNetwork Load(Stream stream, ComputeDevice device = ComputeDevice.Cpu) =>
        ModelStream.Load(stream, reader => Load(reader, device));
}
