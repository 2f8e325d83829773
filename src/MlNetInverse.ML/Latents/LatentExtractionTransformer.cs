using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using MlNetInverse.ML.Latents;
using MlNetInverse.ML.Persistence;

[assembly: LoadableClass(typeof(LatentExtractionTransformer), null, typeof(SignatureLoadModel),
    LatentExtractionTransformer.UserName, LatentExtractionTransformer.LoaderSignature)]
[assembly: LoadableClass(typeof(IRowMapper), typeof(LatentExtractionTransformer), null, typeof(SignatureLoadRowMapper),
    LatentExtractionTransformer.UserName, LatentExtractionTransformer.LoaderSignature)]

namespace MlNetInverse.ML.Latents;

/// <summary>
/// What a <see cref="LatentExtractionEstimator"/> fit leaves in the chain: rows pass through unchanged; it remembers
/// which file was written and how many rows it holds. Saved in model zips (path and count only) so a whole training
/// chain can be saved too, though the scoring model (<c>GetModelFor(TransformerScope.Scoring)</c>) leaves it out.
/// </summary>
public sealed class LatentExtractionTransformer : RowToRowTransformerBase
{
    internal const string LoaderSignature = "MlNetInverseLatents";
    internal const string UserName = "MlNetInverse latent extraction";

    internal LatentExtractionTransformer(IHostEnvironment env, string path, long rowCount)
        : base(Contracts.CheckRef(env, nameof(env)).Register(nameof(LatentExtractionTransformer)))
    {
        Path = path;
        RowCount = rowCount;
    }

    /// <summary>Full path of the latent Parquet file the fit wrote.</summary>
    public string Path { get; }

    /// <summary>Rows written to the file.</summary>
    public long RowCount { get; }

    /// <summary>The last <see cref="LatentExtractionTransformer"/> in <paramref name="model"/> (itself or inside a chain), or null.</summary>
    public static LatentExtractionTransformer? FindIn(ITransformer model) => TransformerChains.FindLast<LatentExtractionTransformer>(model);

    private static VersionInfo VersionInfo => ComponentVersion.Of<LatentExtractionTransformer>("LATENTPQ", LoaderSignature);

    // *** Binary format ***
    // int:  id of the file path (string table)
    // long: rows written
    protected override void SaveModel(ModelSaveContext ctx)
    {
        Host.CheckValue(ctx, nameof(ctx));
        ctx.CheckAtModel();
        ctx.SetVersionInfo(VersionInfo);
        ctx.SaveNonEmptyString(Path);
        ctx.Writer.Write(RowCount);
    }

    protected override IRowMapper MakeRowMapper(DataViewSchema schema) => new Mapper(this, schema);

    // Factory method for SignatureLoadModel.
    private static LatentExtractionTransformer Create(IHostEnvironment env, ModelLoadContext ctx)
    {
        Contracts.CheckValue(env, nameof(env));
        env.CheckValue(ctx, nameof(ctx));
        ctx.CheckAtModel(VersionInfo);
        string path = ctx.LoadNonEmptyString();
        long rows = ctx.Reader.ReadInt64();
        if (rows < 0) throw new FormatException($"latent extraction: the saved row count {rows} is negative; the model entry is corrupted.");
        return new LatentExtractionTransformer(env, path, rows);
    }

    // Factory method for SignatureLoadRowMapper.
    private static IRowMapper Create(IHostEnvironment env, ModelLoadContext ctx, DataViewSchema inputSchema)
        => Create(env, ctx).MakeRowMapper(inputSchema);

    /// <summary>Adds no columns and needs none.</summary>
    private sealed class Mapper : MapperBase
    {
        private readonly LatentExtractionTransformer _parent;

        public Mapper(LatentExtractionTransformer parent, DataViewSchema inputSchema)
            : base(parent.Host.Register(nameof(Mapper)), inputSchema, parent) => _parent = parent;

        protected override DataViewSchema.DetachedColumn[] GetOutputColumnsCore() => [];

        protected override Delegate MakeGetter(DataViewRow input, int iinfo, Func<int, bool> activeOutput, out Action? disposer) =>
            throw new InvalidOperationException("The latent extraction step adds no columns.");

        protected override Func<int, bool> GetDependenciesCore(Func<int, bool> activeOutput) => _ => false;

        protected override void SaveModel(ModelSaveContext ctx) => _parent.SaveModel(ctx);
    }
}
