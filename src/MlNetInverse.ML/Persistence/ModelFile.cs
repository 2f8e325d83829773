using System.Reflection;
using Microsoft.ML;
using MlNetInverse.ML.Internals;
using MlNetInverse.Physics.Storage;

namespace MlNetInverse.ML.Persistence;

/// <summary>
/// Saves and loads ML.NET model zips with this library's guarantees: the zip is written to a temp file in the same
/// folder and renamed (a crash never leaves a half-written model), and any load failure becomes one
/// <see cref="InvalidDataException"/> line naming the file and the problem (truncated or corrupted zip, a
/// component written by another format version, a missing or damaged weight stream).
/// </summary>
internal static class ModelFile
{
    public static void Save(MLContext mlContext, ITransformer model, DataViewSchema inputSchema, string path)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(inputSchema);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        AtomicFile.Write(path, stream => mlContext.Model.Save(model, inputSchema, stream));
    }

    public static ITransformer Load(MLContext mlContext, string path, out DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"Model file '{path}' does not exist.", path);
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            return mlContext.Model.Load(stream, out inputSchema);
        }
        catch (Exception e) when (e is not OutOfMemoryException and not OperationCanceledException)
        {
            throw new InvalidDataException($"Model file '{path}' cannot be loaded: {Describe(e)}", e);
        }
    }

    /// <summary>One line saying what is wrong, from the most specific exception in ML.NET's wrapping chain.</summary>
    internal static string Describe(Exception error)
    {
        var chain = Chain(error).ToArray();
        var ours = chain.OfType<TorchModelFormatException>().FirstOrDefault();
        if (ours != null) return SavedTorchModel.OneLine(ours.Message);
        // ZipArchive reports a cut or overwritten directory and bad entry data as InvalidDataException;
        // a stream that ends inside an entry surfaces as EndOfStreamException.
        var zip = chain.FirstOrDefault(e => e is InvalidDataException or EndOfStreamException);
        if (zip != null) return $"the model zip is truncated or corrupted ({SavedTorchModel.OneLine(zip.Message).TrimEnd('.')}).";
        var innermost = chain[^1];
        return $"{innermost.GetType().Name}: {SavedTorchModel.OneLine(innermost.Message)}";
    }

    private static IEnumerable<Exception> Chain(Exception error)
    {
        for (Exception? e = error; e != null; e = e.InnerException)
        {
            if (e is TargetInvocationException or AggregateException && e.InnerException != null) continue;
            yield return e;
        }
    }
}
