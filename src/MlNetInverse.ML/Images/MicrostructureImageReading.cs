using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;

namespace MlNetInverse.ML.Images;

/// <summary>
/// Builds the ImageAnalytics chain that turns image paths into the microstructure image column:
/// LoadImages -> ResizeImages(Size, Size) -> ConvertToGrayscale -> ExtractPixels(red plane, scale 1/255) -> flatten
/// (ExtractPixels types its output Vector&lt;Single, 1, Size, Size&gt;; <see cref="VectorFlatteningTransformer"/> makes
/// it the flat Vector&lt;Single, Size*Size&gt; of the dataset loader) -> drop the intermediate columns. ExtractPixels writes the plane row by row, so PNG row r, column c lands at r*Size + c: x = row, y = column,
/// the mapping of the CLI's PNG patterns and of <see cref="Physics.Microstructures.Microstructure.Pixels"/>.
/// ResizeImages is needed even for images of the right size: ExtractPixels requires a known-size image type.
/// Every step is persistable, so the chain saves into a model zip like any other.
/// </summary>
internal static class MicrostructureImageReading
{
    public static IEstimator<ITransformer> Create(MLContext mlContext, MicrostructureImageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.OutputColumnName);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.InputColumnName);
        if (options.Size < 1)
            throw new ArgumentOutOfRangeException(nameof(options), options.Size, $"Size must be at least 1 pixel; got {options.Size}.");
        string bitmap = options.OutputColumnName + ".Bitmap";
        string plane = options.OutputColumnName + ".Plane";
        var transforms = mlContext.Transforms;
        return transforms.LoadImages(bitmap, options.ImageFolder, options.InputColumnName)
            .Append(transforms.ResizeImages(bitmap, options.Size, options.Size, bitmap, ImageResizingEstimator.ResizingKind.Fill))
            .Append(transforms.ConvertToGrayscale(bitmap, bitmap))
            .Append(transforms.ExtractPixels(plane, bitmap,
                colorsToExtract: ImagePixelExtractingEstimator.ColorBits.Red,
                scaleImage: 1f / 255f,
                outputAsFloatArray: true))
            .Append(new VectorFlatteningEstimator(mlContext, options.OutputColumnName, plane, options.Size * options.Size))
            .Append(transforms.DropColumns(bitmap, plane));
    }
}
