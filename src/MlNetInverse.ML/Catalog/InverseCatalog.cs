using Microsoft.ML;
using MlNetInverse.ML.Persistence;

namespace MlNetInverse.ML;

/// <summary>
/// Inverse-design operations on an <see cref="MLContext"/>, reached with <c>mlContext.Inverse()</c>. Estimators
/// follow ML.NET's conventions: a flat-argument overload and an options overload, output column before input column.
/// </summary>
public sealed class InverseCatalog
{
    internal InverseCatalog(MLContext mlContext) => Context = mlContext;

    /// <summary>The context this catalog works in.</summary>
    public MLContext Context { get; }

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
