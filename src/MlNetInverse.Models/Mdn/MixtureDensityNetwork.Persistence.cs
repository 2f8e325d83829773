using MlNetInverse.Models.Devices;
using MlNetInverse.Models.Persistence;
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
    /// <summary>Writes the header (options as JSON) and the weights with the normalisation buffers; the writer stays open.</summary>
    public void Save(BinaryWriter writer)
    {
        ModelStream.WriteHeader(writer, Kind, FormatVersion, Options);
        save(writer);
        writer.Flush();
    }

    /// <summary>Writes the network to the file <paramref name="path"/> atomically (temp file in the same folder, then rename).</summary>
    public void Save(string path) => AtomicFile.Write(path, Save);

    /// <summary>Writes the network to <paramref name="stream"/>, which stays open.</summary>
    public void Save(Stream stream)
    {
        using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        Save(writer);
    }

    /// <summary>Rebuilds a network saved by <see cref="Save(BinaryWriter)"/>: loaded on the CPU, moved to <paramref name="device"/>, in eval mode.</summary>
    /// <exception cref="InvalidDataException">Not a saved MixtureDensityNetwork, an unsupported version, or weights that do not match the options.</exception>
    public static MixtureDensityNetwork Load(BinaryReader reader, ComputeDevice device = ComputeDevice.Cpu)
    {
        var options = ModelStream.ReadHeader<MdnOptions>(reader, Kind, FormatVersion);
        MixtureDensityNetwork model;
        try
        {
            model = new MixtureDensityNetwork(options);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"The saved MixtureDensityNetwork options are invalid: {e.Message}", e);
        }
        try
        {
            ModelStream.LoadWeights(model, reader, Kind);
            model.to(DeviceResolver.Resolve(device));
        }
        catch
        {
            model.Dispose();
            throw;
        }
        model.eval();
        return model;
    }

    /// <summary>Reads a network saved by <see cref="Save(string)"/>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static MixtureDensityNetwork Load(string path, ComputeDevice device = ComputeDevice.Cpu)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Model file '{path}' does not exist.", path);
        using var stream = File.OpenRead(path);
        return Load(stream, device);
    }

    /// <summary>Reads a network from <paramref name="stream"/>, which stays open.</summary>
    public static MixtureDensityNetwork Load(Stream stream, ComputeDevice device = ComputeDevice.Cpu)
    {
        using var reader = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        return Load(reader, device);
    }
}
