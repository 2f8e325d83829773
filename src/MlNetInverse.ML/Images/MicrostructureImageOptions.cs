using MlNetInverse.ML.Data;
using MlNetInverse.Physics.Microstructures;

namespace MlNetInverse.ML.Images;

/// <summary>Options of <see cref="InverseCatalog.ReadMicrostructureImages(MicrostructureImageOptions)"/>.</summary>
public sealed record MicrostructureImageOptions
{
    /// <summary>Column to write: Vector&lt;Single, Size*Size&gt;, values in [0, 1]. Default "Image".</summary>
    public string OutputColumnName { get; init; } = MicrostructureColumns.Image;

    /// <summary>Text column with image file paths. Default "ImagePath".</summary>
    public string InputColumnName { get; init; } = MicrostructureColumns.ImagePath;

    /// <summary>Folder that relative paths are resolved against. Default null: paths are used as given.</summary>
    public string? ImageFolder { get; init; }

    /// <summary>
    /// Edge length of the maps in pixels. Default 64. Images of another size are stretched to it (ML.NET's image
    /// pipeline needs a known size); PNGs written for this library already have it and pass unchanged.
    /// </summary>
    public int Size { get; init; } = Microstructure.DefaultSize;
}
