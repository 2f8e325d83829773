using System.IO.Compression;

namespace MlNetInverse.Tests.ML;

/// <summary>Damages saved model zips in controlled ways for the load-error tests.</summary>
internal static class ModelZipSurgery
{
    /// <summary>Keeps only the first <paramref name="fraction"/> of the file's bytes.</summary>
    public static void Truncate(string path, double fraction)
    {
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(int)(bytes.Length * fraction)]);
    }

    /// <summary>Replaces the content of the single entry whose name ends with <paramref name="nameSuffix"/>.</summary>
    public static void RewriteEntry(string path, string nameSuffix, Func<byte[], byte[]> rewrite)
    {
        using var zip = ZipFile.Open(path, ZipArchiveMode.Update);
        var entry = Assert.Single(zip.Entries, e => e.FullName.EndsWith(nameSuffix, StringComparison.Ordinal));
        byte[] content;
        using (var input = entry.Open())
        using (var buffer = new MemoryStream())
        {
            input.CopyTo(buffer);
            content = buffer.ToArray();
        }
        string name = entry.FullName;
        entry.Delete();
        using var output = zip.CreateEntry(name).Open();
        output.Write(rewrite(content));
    }

    /// <summary>Removes the single entry whose name ends with <paramref name="nameSuffix"/>.</summary>
    public static void DeleteEntry(string path, string nameSuffix)
    {
        using var zip = ZipFile.Open(path, ZipArchiveMode.Update);
        Assert.Single(zip.Entries, e => e.FullName.EndsWith(nameSuffix, StringComparison.Ordinal)).Delete();
    }

    /// <summary>
    /// Sets the written and readable version of the component whose 8-character model signature is
    /// <paramref name="modelSignature"/>, as another build of the component would have written them. ML.NET's model
    /// header keeps the model signature at offset 0x40 and the two versions right after it (0x48, 0x4C).
    /// </summary>
    public static void SetComponentVersion(string path, string modelSignature, uint written, uint readable)
    {
        var signature = System.Text.Encoding.ASCII.GetBytes(modelSignature);
        using var zip = ZipFile.Open(path, ZipArchiveMode.Update);
        var entry = Assert.Single(zip.Entries, e => e.Name == "Model.key" && HasSignature(e, signature));
        byte[] content;
        using (var input = entry.Open())
        using (var buffer = new MemoryStream())
        {
            input.CopyTo(buffer);
            content = buffer.ToArray();
        }
        BitConverter.TryWriteBytes(content.AsSpan(0x48, 4), written);
        BitConverter.TryWriteBytes(content.AsSpan(0x4C, 4), readable);
        string name = entry.FullName;
        entry.Delete();
        using var output = zip.CreateEntry(name).Open();
        output.Write(content);
    }

    private static bool HasSignature(ZipArchiveEntry entry, byte[] signature)
    {
        using var stream = entry.Open();
        var header = new byte[0x48];
        stream.ReadExactly(header);
        return header.AsSpan(0x40, 8).SequenceEqual(signature);
    }
}
