using MlNetInverse.Physics.Datasets;

namespace MlNetInverse.Tests.Physics.Datasets;

/// <summary>Damage that Parquet itself does not notice, for the checksum tests.</summary>
internal static class DatasetDamage
{
    /// <summary>Flips the first byte whose change Parquet decodes without complaint (only the checksum can tell).</summary>
    public static async Task FlipSilentlyAsync(string path)
    {
        var original = await File.ReadAllBytesAsync(path);
        for (int position = 4; position < original.Length; position++)
        {
            var damaged = original.ToArray();
            damaged[position] ^= 0x01;
            await File.WriteAllBytesAsync(path, damaged);
            try
            {
                await using var reader = await MicrostructureDatasetFile.OpenAsync(path);
                for (int g = 0; g < reader.RowGroupCount; g++) await reader.ReadRowGroupAsync(g);
                if (reader.RowsChecksum is null) continue;
                await reader.VerifyAsync();
            }
            catch (InvalidDataException e) when (e.Message.Contains("do not match the SHA-256"))
            {
                return;
            }
            catch (InvalidDataException)
            {
                // decoding failed: not a silent flip, try the next byte
            }
        }
        Assert.Fail($"no byte of '{path}' flips silently");
    }
}
