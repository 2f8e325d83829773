using System.Text.Json;
using System.Text.Json.Serialization;
using MlNetInverse.Models.Devices;
using TorchSharp;

namespace MlNetInverse.Models.Persistence;

/// <summary>
/// The header in front of every saved model's TorchSharp weights.
/// <code>
/// *** Binary format ***
/// string  magic        "MlNetInverse.Model"
/// string  kind         e.g. "VqVaeModel", "AbsorptionSurrogateModel"
/// int32   version      format version of that kind
/// string  options      the model's options as JSON (everything needed to rebuild the architecture)
/// ...     weights      TorchSharp state_dict (Module.save(BinaryWriter)); the model is rebuilt from the options
///                      on the CPU, the weights are loaded strictly (every name and shape must match), then moved
/// </code>
/// </summary>
internal static class ModelStream
{
    public const string Magic = "MlNetInverse.Model";

    public static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = false,
        Converters = { new JsonStringEnumConverter() },
    };

    public static void WriteHeader<TOptions>(BinaryWriter writer, string kind, int version, TOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(Magic);
        writer.Write(kind);
        writer.Write(version);
        writer.Write(JsonSerializer.Serialize(options, Json));
    }

    /// <summary>Reads and checks the header; returns the options.</summary>
    /// <exception cref="InvalidDataException">Not a model stream, another kind, an unsupported version or unreadable options.</exception>
    public static TOptions ReadHeader<TOptions>(BinaryReader reader, string kind, int supportedVersion) =>
        ReadHeader<TOptions>(reader, kind, supportedVersion, supportedVersion, out _);

    /// <summary>Reads and checks the header of a stream written by any version from <paramref name="oldestVersion"/> to <paramref name="currentVersion"/>.</summary>
    /// <exception cref="InvalidDataException">Not a model stream, another kind, an unsupported version or unreadable options.</exception>
    public static TOptions ReadHeader<TOptions>(BinaryReader reader, string kind, int oldestVersion, int currentVersion, out int version)
    {
        ArgumentNullException.ThrowIfNull(reader);
        string magic, foundKind, json;
        try
        {
            magic = reader.ReadString();
            if (magic != Magic) throw new InvalidDataException($"Not an MlNetInverse model stream (expected the marker '{Magic}').");
            foundKind = reader.ReadString();
            version = reader.ReadInt32();
            json = reader.ReadString();
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException($"The {kind} stream ends inside its header.", e);
        }
        catch (IOException e)
        {
            throw new InvalidDataException($"The {kind} stream has no readable header: {e.Message}", e);
        }
        if (foundKind != kind) throw new InvalidDataException($"Expected a saved {kind} but the stream holds a {foundKind}.");
        if (version < oldestVersion || version > currentVersion)
            throw new InvalidDataException($"{kind} format version {version} is not supported (this build reads version {(oldestVersion == currentVersion ? $"{currentVersion}" : $"{oldestVersion} to {currentVersion}")}).");
        try
        {
            return JsonSerializer.Deserialize<TOptions>(json, Json) ?? throw new InvalidDataException($"The {kind} options are empty.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"The {kind} options are not readable: {e.Message}", e);
        }
    }

    /// <summary>Loads the weights strictly (names, dtypes and shapes must match the rebuilt model).</summary>
    /// <exception cref="InvalidDataException">The weights do not match or the stream ends early.</exception>
    public static void LoadWeights(torch.nn.Module model, BinaryReader reader, string kind)
    {
        try
        {
            model.load(reader, strict: true);
        }
        catch (Exception e) when (e is ArgumentException or EndOfStreamException or IOException or InvalidOperationException)
        {
            throw new InvalidDataException($"The saved {kind} weights do not match its options or are truncated: {e.Message}", e);
        }
    }

    /// <summary>Writes the header and the weights of <paramref name="model"/>; the writer stays open.</summary>
    public static void Save<TOptions>(torch.nn.Module model, BinaryWriter writer, string kind, int version, TOptions options)
    {
        WriteHeader(writer, kind, version, options);
        model.save(writer);
        writer.Flush();
    }

    /// <summary>Runs <paramref name="save"/> on a writer over <paramref name="stream"/>, which stays open.</summary>
    public static void Save(Stream stream, Action<BinaryWriter> save)
    {
        using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        save(writer);
    }

    /// <summary>
    /// Reads the header, rebuilds the model from its options on the CPU, loads the weights strictly, moves it to
    /// <paramref name="device"/> and switches it to eval mode. A half-loaded model is disposed, never returned.
    /// </summary>
    /// <exception cref="InvalidDataException">Not a saved <paramref name="kind"/>, an unsupported version, invalid options or mismatching weights.</exception>
    public static TModel Load<TModel, TOptions>(BinaryReader reader, string kind, int version, Func<TOptions, TModel> build, ComputeDevice device)
        where TModel : torch.nn.Module =>
        Load<TModel, TOptions>(reader, kind, version, version, build, device, readAfterWeights: null);

    /// <summary>
    /// <see cref="Load{TModel, TOptions}(BinaryReader, string, int, Func{TOptions, TModel}, ComputeDevice)"/> for a kind
    /// with several readable versions; <paramref name="readAfterWeights"/> reads what that version keeps after the weights.
    /// </summary>
    public static TModel Load<TModel, TOptions>(BinaryReader reader, string kind, int oldestVersion, int currentVersion, Func<TOptions, TModel> build,
        ComputeDevice device, Action<TModel, int, BinaryReader>? readAfterWeights)
        where TModel : torch.nn.Module
    {
        var options = ReadHeader<TOptions>(reader, kind, oldestVersion, currentVersion, out int version);
        TModel model;
        try
        {
            model = build(options);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"The saved {kind} options are invalid: {e.Message}", e);
        }
        try
        {
            LoadWeights(model, reader, kind);
            readAfterWeights?.Invoke(model, version, reader);
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

    /// <summary>Runs <paramref name="load"/> on a reader over <paramref name="stream"/>, which stays open.</summary>
    public static TModel Load<TModel>(Stream stream, Func<BinaryReader, TModel> load)
    {
        using var reader = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        return load(reader);
    }

    /// <summary>Runs <paramref name="load"/> on the file <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static TModel Load<TModel>(string path, Func<Stream, TModel> load)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Model file '{path}' does not exist.", path);
        using var stream = File.OpenRead(path);
        return load(stream);
    }
}
