using Microsoft.ML;
using MlNetInverse.ML.Data;
using MlNetInverse.ML.Images;
using MlNetInverse.ML.Parquet;
using MlNetInverse.ML.Persistence;

namespace MlNetInverse.ML;

/// <summary>
/// Inverse-design operations on an <see cref="MLContext"/>, reached with <c>mlContext.Inverse()</c>. Estimators
/// follow ML.NET's conventions: a flat-argument overload and an options overload, output column before input column.
/// </summary>
public sealed partial class InverseCatalog
{
    internal InverseCatalog(MLContext mlContext) => Context = mlContext;

    /// <summary>The context this catalog works in (estimators register with it).</summary>
    internal MLContext Context { get; }

    /// <summary>
    /// Loads a microstructure dataset file (Parquet, written by <c>mlnet-inverse data generate</c>) as a lazily read
    /// data view, one row group in memory at a time. Columns (see <see cref="MicrostructureColumns"/>): Id Int64,
    /// Image Vector&lt;Single, Size*Size&gt; (0/1, x-major), Absorption Single, Family Text, MeanWavenumber,
    /// StdWavenumber and VolumeFraction Single, Seed Int64.
    /// </summary>
    /// <exception cref="FileNotFoundException">No file at <paramref name="path"/>.</exception>
    /// <exception cref="InvalidDataException">Not a microstructure dataset; the message names the problem.</exception>
    public IDataView LoadMicrostructures(string path) => MicrostructureDatasetSource.Load(path);

    /// <summary>
    /// Loads the *.png files of <paramref name="folder"/> (ordinal name order) through ML.NET's image pipeline
    /// (<see cref="ReadMicrostructureImages(string, string, string?)"/>): columns ImagePath Text and Image
    /// Vector&lt;Single, 4096&gt; (values 0..1; PNG row = x, column = y), plus Absorption Single when
    /// <paramref name="absorptionFile"/> (CSV "file,absorption" after a header) is given.
    /// </summary>
    public IDataView LoadMicrostructureImages(string folder, string? absorptionFile = null) =>
        LoadMicrostructureImages(new MicrostructureImageFolderOptions { Folder = folder, AbsorptionFile = absorptionFile });

    /// <summary>Loads a folder of PNG microstructures; see <see cref="LoadMicrostructureImages(string, string?)"/>.</summary>
    public IDataView LoadMicrostructureImages(MicrostructureImageFolderOptions options) =>
        MicrostructureImageFolder.Load(Context, options);

    /// <summary>
    /// An estimator that reads the image files named in <paramref name="inputColumnName"/> into the microstructure
    /// image column <paramref name="outputColumnName"/> (Vector&lt;Single, 4096&gt;, values 0..1, PNG row = x,
    /// column = y). Made of ImageAnalytics transforms and a flattening step, all persistable, so it saves into model zips.
    /// </summary>
    /// <param name="outputColumnName">Image column to write. Default "Image".</param>
    /// <param name="inputColumnName">Text column of file paths. Default "ImagePath".</param>
    /// <param name="imageFolder">Folder relative paths are resolved against. Default null: paths as given.</param>
    public IEstimator<ITransformer> ReadMicrostructureImages(
        string outputColumnName = MicrostructureColumns.Image,
        string inputColumnName = MicrostructureColumns.ImagePath,
        string? imageFolder = null) =>
        ReadMicrostructureImages(new MicrostructureImageOptions
        {
            OutputColumnName = outputColumnName,
            InputColumnName = inputColumnName,
            ImageFolder = imageFolder,
        });

    /// <summary>Reads image files into the microstructure image column; see <see cref="ReadMicrostructureImages(string, string, string?)"/>.</summary>
    public IEstimator<ITransformer> ReadMicrostructureImages(MicrostructureImageOptions options) =>
        MicrostructureImageReading.Create(Context, options);

    /// <summary>
    /// Loads any Parquet file as a lazily read data view: scalar float, double, int32, int64, boolean and string
    /// columns, and list columns of float, double, int32 and int64 as vectors (known size when the file records it,
    /// as <see cref="SaveAsParquet(IDataView, string, ParquetSaveOptions?)"/> does). With no
    /// <paramref name="columns"/>, every column a data view can hold; otherwise exactly those, each checked.
    /// </summary>
    /// <exception cref="FileNotFoundException">No file at <paramref name="path"/>.</exception>
    /// <exception cref="InvalidDataException">Not Parquet, a missing column, or a column of another type; the message names it.</exception>
    public IDataView LoadFromParquet(string path, params ParquetColumn[] columns) => ParquetLoader.Load(path, columns);

    /// <summary>
    /// Writes <paramref name="data"/> to a Parquet file (Snappy, row groups of <see cref="ParquetSaveOptions.RowGroupSize"/>
    /// rows) through a temp file in the same folder and a rename. Default options: every visible column, 1024 rows
    /// per row group.
    /// </summary>
    public void SaveAsParquet(IDataView data, string path, ParquetSaveOptions? options = null) =>
        ParquetSaver.Save(data, path, options ?? new ParquetSaveOptions());

    /// <summary>Writes <paramref name="data"/> as Parquet to a writable stream, left open.</summary>
    public void SaveAsParquet(IDataView data, Stream stream, ParquetSaveOptions? options = null) =>
        ParquetSaver.Save(data, stream, options ?? new ParquetSaveOptions());

    /// <summary>
    /// Saves <paramref name="model"/> and the schema it expects to a model zip with mlContext.Model.Save, through a
    /// temp file in the same folder and a rename, so a crash never leaves a half-written model.
    /// </summary>
    public void SaveModel(ITransformer model, DataViewSchema inputSchema, string path) =>
        ModelFile.Save(Context, model, inputSchema, path);

    /// <summary>
    /// Loads a model zip with mlContext.Model.Load. Any failure is one <see cref="InvalidDataException"/> line naming
    /// the file and the problem: a truncated or corrupted zip, a component written by another format version, a
    /// missing or damaged weight stream.
    /// </summary>
    /// <exception cref="FileNotFoundException">No file at <paramref name="path"/>.</exception>
    /// <exception cref="InvalidDataException">The file is not a loadable model.</exception>
    public ITransformer LoadModel(string path, out DataViewSchema inputSchema) =>
        ModelFile.Load(Context, path, out inputSchema);
}
