using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetInverse.ML.Schema;
using static MlNetInverse.Physics.Formatting.InvariantText;

namespace MlNetInverse.ML.Data;

/// <summary>
/// The images (and optionally labels) of a data view as the flat arrays the TorchSharp trainers take: images as
/// N * S * S pixel values in [0, 1] (row after row, each x-major like the dataset's image column), labels as N floats.
/// </summary>
/// <param name="Images">N * S * S pixel values.</param>
/// <param name="Labels">N labels, or null when no label column was read.</param>
/// <param name="Count">N, the number of rows.</param>
/// <param name="ImageSize">S, the edge length of the square images in pixels.</param>
internal sealed record LabelledImages(float[] Images, float[]? Labels, int Count, int ImageSize)
{
    /// <summary>What an image column must be, for messages.</summary>
    public const string ImageDescription = "a square image Vector<Single, S*S> with S a power of two, at least 8 (e.g. Vector<Single, 4096> for 64x64)";

    /// <summary>True for a known-size Single vector whose length is S*S with S a power of two, at least 8.</summary>
    public static bool IsImageType(DataViewType type) =>
        type is VectorDataViewType { IsKnownSize: true } vector && vector.ItemType == NumberDataViewType.Single && EdgeOf(vector.Size) > 0;

    /// <summary>The edge length S of a square image vector of <paramref name="length"/> values, or 0 when it is not one.</summary>
    public static int EdgeOf(int length)
    {
        int edge = (int)Math.Round(Math.Sqrt(length));
        return edge >= 8 && edge * edge == length && (edge & (edge - 1)) == 0 ? edge : 0;
    }

    /// <summary>The image column <paramref name="name"/> of <paramref name="schema"/>, checked.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Missing or not a square image vector; the message names the column and both types.</exception>
    public static DataViewSchema.Column RequireImage(DataViewSchema schema, string name) =>
        InputColumnCheck.Require(schema, name, IsImageType, ImageDescription);

    /// <summary>
    /// Reads every row of <paramref name="data"/>: the image column and, when <paramref name="labelColumnName"/> is
    /// given, a Single label column.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A column is missing or has the wrong type.</exception>
    /// <exception cref="InvalidOperationException">No rows, a pixel outside [0, 1] or a non-finite label; the message names the row.</exception>
    public static LabelledImages Read(IDataView data, string imageColumnName, string? labelColumnName, string component)
    {
        ArgumentNullException.ThrowIfNull(data);
        var image = RequireImage(data.Schema, imageColumnName);
        DataViewSchema.Column? label = labelColumnName is null
            ? null
            : InputColumnCheck.Require(data.Schema, labelColumnName, NumberDataViewType.Single, "Label");
        int pixels = ((VectorDataViewType)image.Type).Size;
        int edge = EdgeOf(pixels);

        var images = new List<float[]>();
        var labels = new List<float>();
        using (var cursor = data.GetRowCursor(label is { } l ? [image, l] : [image]))
        {
            var imageGetter = cursor.GetGetter<VBuffer<float>>(image);
            var labelGetter = label is { } column ? cursor.GetGetter<float>(column) : null;
            VBuffer<float> value = default;
            float labelValue = 0;
            for (int row = 0; cursor.MoveNext(); row++)
            {
                imageGetter(ref value);
                var pixelsOfRow = new float[pixels];
                value.CopyTo(pixelsOfRow);
                CheckPixels(pixelsOfRow, imageColumnName, row);
                images.Add(pixelsOfRow);
                if (labelGetter is null) continue;
                labelGetter(ref labelValue);
                if (!float.IsFinite(labelValue))
                    throw new InvalidOperationException($"Column '{labelColumnName}', row {row}: the label is {Text(labelValue)}; labels must be finite.");
                labels.Add(labelValue);
            }
        }
        if (images.Count == 0) throw new InvalidOperationException($"Cannot fit the {component} on an empty data view.");
        var flat = new float[checked(images.Count * pixels)];
        for (int i = 0; i < images.Count; i++) images[i].CopyTo(flat, i * pixels);
        return new LabelledImages(flat, label is null ? null : labels.ToArray(), images.Count, edge);
    }

    private static void CheckPixels(float[] pixels, string column, int row)
    {
        for (int i = 0; i < pixels.Length; i++)
        {
            float p = pixels[i];
            if (!(p >= 0f && p <= 1f))
                throw new InvalidOperationException(
                    $"Column '{column}', row {row}, pixel {i} is {Text(p)}; pixel values must lie in [0, 1] (scale 0-255 images by 1/255).");
        }
    }
}
