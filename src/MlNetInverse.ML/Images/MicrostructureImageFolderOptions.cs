using MlNetInverse.Physics.Microstructures;

namespace MlNetInverse.ML.Images;

/// <summary>Options of <see cref="InverseCatalog.LoadMicrostructureImages(MicrostructureImageFolderOptions)"/>.</summary>
public sealed record MicrostructureImageFolderOptions
{
    /// <summary>The folder whose *.png files are loaded, in ordinal file-name order. Required.</summary>
    public required string Folder { get; init; }

    /// <summary>
    /// Optional CSV of absorption labels: a header line, then "file,absorption" per image (file name relative to
    /// <see cref="Folder"/>, invariant culture). When set, every image needs a label and the data view gets an
    /// Absorption column. Default null: no Absorption column.
    /// </summary>
    public string? AbsorptionFile { get; init; }

    /// <summary>Edge length of the maps in pixels. Default 64 (see <see cref="MicrostructureImageOptions.Size"/>).</summary>
    public int Size { get; init; } = Microstructure.DefaultSize;
}
