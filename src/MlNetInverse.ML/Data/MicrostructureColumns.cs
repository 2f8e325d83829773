using Microsoft.ML.Data;
using MlNetInverse.Physics.Microstructures;

namespace MlNetInverse.ML.Data;

/// <summary>
/// Column names and types of microstructure data views (<see cref="InverseCatalog.LoadMicrostructures"/>,
/// <see cref="InverseCatalog.LoadMicrostructureImages(string, string?)"/>) and the defaults of this library's
/// estimators.
/// </summary>
public static class MicrostructureColumns
{
    /// <summary>Sample id (Int64), from the dataset file.</summary>
    public const string Id = "Id";

    /// <summary>
    /// The map as Vector&lt;Single, Size*Size&gt; with values in [0, 1] (1 = material A), x-major like
    /// <see cref="Microstructure.Pixels"/>: element x*Size + y.
    /// </summary>
    public const string Image = "Image";

    /// <summary>The absorption label (Single): mean patterned-layer absorption over the stack's wavelengths.</summary>
    public const string Absorption = "Absorption";

    /// <summary>GRF spectral density family name (Text), e.g. "ring".</summary>
    public const string Family = "Family";

    /// <summary>GRF mean wavenumber (Single), in cycles per unit cell.</summary>
    public const string MeanWavenumber = "MeanWavenumber";

    /// <summary>GRF wavenumber spread (Single), in cycles per unit cell.</summary>
    public const string StdWavenumber = "StdWavenumber";

    /// <summary>GRF target volume fraction of material A (Single), in [0, 1].</summary>
    public const string VolumeFraction = "VolumeFraction";

    /// <summary>GRF noise seed of the map (Int64).</summary>
    public const string Seed = "Seed";

    /// <summary>Full path of a PNG file (Text), for image folders.</summary>
    public const string ImagePath = "ImagePath";

    /// <summary>
    /// The quantized VQ-VAE latent z_q (Vector&lt;Single, D*G*G&gt;): code vectors of the latent grid, channel-major
    /// like torch's [D, G, G]: element d*G*G + gx*G + gy.
    /// </summary>
    public const string Latent = "Latent";

    /// <summary>The VQ-VAE code index per latent grid cell (Vector&lt;Int32, G*G&gt;, values in [0, K)), element gx*G + gy.</summary>
    public const string CodeIndices = "CodeIndices";

    /// <summary>A VQ-VAE reconstruction of the input image (Vector&lt;Single, Size*Size&gt;, sigmoid output in (0, 1)).</summary>
    public const string Reconstruction = "Reconstruction";

    /// <summary>An image decoded from a latent (Vector&lt;Single, Size*Size&gt;), in the image column's layout.</summary>
    public const string DecodedImage = "DecodedImage";

    /// <summary>The absorption the surrogate CNN predicts for an image (Single).</summary>
    public const string PredictedAbsorption = "PredictedAbsorption";

    /// <summary>
    /// Annotation of the <see cref="Absorption"/> column (Text) of a loaded dataset: the optical stack, wavelengths and
    /// solver settings that made the labels, as stack JSON (<see cref="Physics.Optics.OpticalStackFile.ToJson"/>). It
    /// travels through the chain, so the MDN can keep it in the model zip and generated designs are judged with the
    /// same RCWA configuration as the labels.
    /// </summary>
    public const string OpticalStackAnnotation = "OpticalStack";

    /// <summary>The type of <see cref="Image"/> for <paramref name="size"/>x<paramref name="size"/> maps (default 64).</summary>
    public static VectorDataViewType ImageType(int size = Microstructure.DefaultSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        return new VectorDataViewType(NumberDataViewType.Single, size * size);
    }
}
