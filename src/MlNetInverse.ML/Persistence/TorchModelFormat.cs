using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;

namespace MlNetInverse.ML.Persistence;

/// <summary>
/// Writes and reads the part of a torch-backed component's model entry that every such component shares.
/// </summary>
/// <remarks>
/// <code>
/// *** Binary format *** (after ML.NET's model header, which carries the component's VersionInfo)
/// int:    layout version of this shared part (<see cref="LayoutVersion"/>)
/// int:    id of the output column name (string table)
/// int:    output type: 0 = Single, n &gt; 0 = Vector&lt;Single, n&gt;
/// int:    id of the input column name
/// int:    input type, coded like the output type
/// int:    byte count of the options block, then the block (the component's hyper-parameters)
/// stream: <see cref="TorchWeightStream.Name"/> (see <see cref="TorchWeightStream"/>)
/// </code>
/// </remarks>
internal static class TorchModelFormat
{
    /// <summary>Version of the shared layout above; a change here needs a new VersionInfo in every component.</summary>
    public const int LayoutVersion = 1;

    /// <summary>Largest options block accepted on load (1 MiB): hyper-parameters, never weights.</summary>
    private const int MaxOptionsBytes = 1 << 20;

    /// <summary>Writes the version info, shared layout and weight stream.</summary>
    public static void Write(
        ModelSaveContext ctx, VersionInfo version, string outputColumnName, DataViewType outputType,
        string inputColumnName, DataViewType inputType, Action<BinaryWriter> saveOptions, Action<BinaryWriter> saveWeights)
    {
        ctx.CheckAtModel();
        ctx.SetVersionInfo(version);
        ctx.Writer.Write(LayoutVersion);
        ctx.SaveNonEmptyString(outputColumnName);
        ctx.Writer.Write(TorchColumnType.ToCode(outputType));
        ctx.SaveNonEmptyString(inputColumnName);
        ctx.Writer.Write(TorchColumnType.ToCode(inputType));

        var options = Capture(saveOptions);
        ctx.Writer.Write(options.Length);
        ctx.Writer.Write(options);

        // TorchSharp's module.save closes a stream it is handed; the writer given to saveWeights stays ours.
        var weights = Capture(saveWeights);
        ctx.SaveBinaryStream(TorchWeightStream.Name, writer => TorchWeightStream.Write(writer, weights));
    }

    /// <summary>
    /// Checks the version info against <paramref name="version"/> and reads the shared layout and the weights.
    /// <paramref name="component"/> names the component in errors (e.g. "VQ-VAE encoder").
    /// </summary>
    /// <exception cref="TorchModelFormatException">Another format version, a damaged entry, or no weight stream.</exception>
    public static SavedTorchModel Read(IHostEnvironment env, ModelLoadContext ctx, VersionInfo version, string component)
    {
        Contracts.CheckValue(env, nameof(env));
        env.CheckValue(ctx, nameof(ctx));
        CheckVersion(ctx, version, component);
        try
        {
            ctx.CheckAtModel(version);
            int layout = ctx.Reader.ReadInt32();
            if (layout != LayoutVersion)
                throw new TorchModelFormatException($"{component}: shared layout version {layout} is not supported; this build reads layout {LayoutVersion}.");
            string output = ctx.LoadNonEmptyString();
            var outputType = ReadType(ctx, component, "output");
            string input = ctx.LoadNonEmptyString();
            var inputType = ReadType(ctx, component, "input");
            int optionsLength = ctx.Reader.ReadInt32();
            if (optionsLength < 0 || optionsLength > MaxOptionsBytes)
                throw new TorchModelFormatException($"{component}: the options block declares {optionsLength} bytes; the model entry is corrupted.");
            var options = ctx.Reader.ReadBytes(optionsLength);
            if (options.Length != optionsLength)
                throw new TorchModelFormatException($"{component}: the model entry is truncated inside the options block.");

            byte[]? weights = null;
            if (!ctx.TryLoadBinaryStream(TorchWeightStream.Name, reader => weights = TorchWeightStream.Read(reader, component)))
                throw new TorchModelFormatException($"{component}: the model zip has no weight stream '{TorchWeightStream.Name}' next to the component's entry; it is incomplete or was not written by this library.");
            return new SavedTorchModel(component, output, outputType, input, inputType, options, weights!);
        }
        catch (TorchModelFormatException)
        {
            throw;
        }
        catch (Exception e) when (e is EndOfStreamException or FormatException or InvalidOperationException or IOException)
        {
            // ML.NET's decode checks throw FormatException/InvalidOperationException with terse messages.
            throw new TorchModelFormatException($"{component}: the model entry is corrupted ({SavedTorchModel.OneLine(e.Message)}).", e);
        }
    }

    /// <summary>Version checks with messages that say which side is newer, before ML.NET's terse ones.</summary>
    private static void CheckVersion(ModelLoadContext ctx, VersionInfo version, string component)
    {
        var header = ctx.Header;
        if (header.ModelSignature != version.ModelSignature)
            throw new TorchModelFormatException($"{component}: the model entry has signature 0x{header.ModelSignature:X16}, not this component's 0x{version.ModelSignature:X16}.");
        if (header.ModelVerReadable > version.VerWrittenCur)
            throw new TorchModelFormatException(
                $"{component}: the model was written by a newer format version 0x{header.ModelVerWritten:X8} (readable from 0x{header.ModelVerReadable:X8}); this build reads up to 0x{version.VerWrittenCur:X8}. Update MlNetInverse.");
        if (header.ModelVerWritten < version.VerWeCanReadBack)
            throw new TorchModelFormatException(
                $"{component}: the model was written by an older format version 0x{header.ModelVerWritten:X8}; this build reads 0x{version.VerWeCanReadBack:X8} and later. Train or save the model again.");
        if (header.ModelVerReadable > header.ModelVerWritten)
            throw new TorchModelFormatException($"{component}: the model header is corrupted (readable version 0x{header.ModelVerReadable:X8} above written version 0x{header.ModelVerWritten:X8}).");
    }

    private static DataViewType ReadType(ModelLoadContext ctx, string component, string role)
    {
        int code = ctx.Reader.ReadInt32();
        if (code < 0)
            throw new TorchModelFormatException($"{component}: the {role} type code {code} is invalid; the model entry is corrupted.");
        return TorchColumnType.FromCode(code);
    }

    private static byte[] Capture(Action<BinaryWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            write(writer);
            writer.Flush();
        }
        return buffer.ToArray();
    }
}
