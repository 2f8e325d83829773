using MlNetInverse.Physics.Datasets;

namespace MlNetInverse.Models.Training;

/// <summary>Flattens dataset records into the arrays the trainers take.</summary>
public static class MicrostructureArrays
{
    /// <summary>
    /// Images as N * S * S pixel values (record order, pixel (x, y) at x * S + y) and the absorption labels as N floats.
    /// </summary>
    /// <exception cref="ArgumentException">No records, or maps of different sizes.</exception>
    public static (float[] Images, float[] Absorption) From(IReadOnlyList<MicrostructureRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (records.Count == 0) throw new ArgumentException("The dataset has no records.", nameof(records));
        int size = records[0].Map.Size, pixels = size * size;
        var images = new float[checked(records.Count * pixels)];
        var absorption = new float[records.Count];
        for (int i = 0; i < records.Count; i++)
        {
            var map = records[i].Map;
            if (map.Size != size)
                throw new ArgumentException($"Record {i} (id {records[i].Id}) is {map.Size}x{map.Size}; the first record is {size}x{size}.", nameof(records));
            map.Pixels.CopyTo(images.AsSpan(i * pixels, pixels));
            absorption[i] = (float)records[i].Absorption;
        }
        return (images, absorption);
    }
}
