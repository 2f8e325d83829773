using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using MlNetInverse.ML.Images;
using MlNetInverse.ML.Persistence;
using MlNetInverse.ML.Schema;

[assembly: LoadableClass(typeof(VectorFlatteningTransformer), null, typeof(SignatureLoadModel),
    VectorFlatteningTransformer.UserName, VectorFlatteningTransformer.LoaderSignature)]
[assembly: LoadableClass(typeof(IRowMapper), typeof(VectorFlatteningTransformer), null, typeof(SignatureLoadRowMapper),
    VectorFlatteningTransformer.UserName, VectorFlatteningTransformer.LoaderSignature)]

namespace MlNetInverse.ML.Images;

/// <summary>
/// Copies a known-size Single vector into a new column typed as a flat Vector&lt;Single, n&gt;, dropping dimensions
/// such as ExtractPixels' 1 x 64 x 64, so images read from PNGs have exactly the type of the dataset's image column.
/// (ML.NET's Concatenate passes a single vector column through with its dimensions.)
/// </summary>
internal sealed class VectorFlatteningTransformer : RowToRowTransformerBase
{
    internal const string LoaderSignature = "MlNetInverseFlatten";
    internal const string UserName = "MlNetInverse vector flattening";

    internal VectorFlatteningTransformer(IHostEnvironment env, string outputColumnName, string inputColumnName, int size)
        : base(Contracts.CheckRef(env, nameof(env)).Register(nameof(VectorFlatteningTransformer)))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        OutputColumnName = outputColumnName;
        InputColumnName = inputColumnName;
        Size = size;
    }

    internal string OutputColumnName { get; }

    internal string InputColumnName { get; }

    /// <summary>Values per row.</summary>
    internal int Size { get; }

    private static VersionInfo GetVersionInfo() => ComponentVersion.Of<VectorFlatteningTransformer>("VECFLATN", LoaderSignature);

    // *** Binary format ***
    // int: id of output column name
    // int: id of input column name
    // int: vector size
    protected override void SaveModel(ModelSaveContext ctx)
    {
        Host.CheckValue(ctx, nameof(ctx));
        ctx.CheckAtModel();
        ctx.SetVersionInfo(GetVersionInfo());
        ctx.SaveNonEmptyString(OutputColumnName);
        ctx.SaveNonEmptyString(InputColumnName);
        ctx.Writer.Write(Size);
    }

    // Factory method for SignatureLoadModel.
    private static VectorFlatteningTransformer Create(IHostEnvironment env, ModelLoadContext ctx)
    {
        Contracts.CheckValue(env, nameof(env));
        env.CheckValue(ctx, nameof(ctx));
        ctx.CheckAtModel(GetVersionInfo());
        var output = ctx.LoadNonEmptyString();
        var input = ctx.LoadNonEmptyString();
        int size = ctx.Reader.ReadInt32();
        env.CheckDecode(size > 0);
        return new VectorFlatteningTransformer(env, output, input, size);
    }

    // Factory method for SignatureLoadRowMapper.
    private static IRowMapper Create(IHostEnvironment env, ModelLoadContext ctx, DataViewSchema inputSchema)
        => Create(env, ctx).MakeRowMapper(inputSchema);

    protected override IRowMapper MakeRowMapper(DataViewSchema schema) => new Mapper(this, schema);

    private sealed class Mapper : MapperBase
    {
        private readonly VectorFlatteningTransformer _parent;
        private readonly int _inputIndex;

        public Mapper(VectorFlatteningTransformer parent, DataViewSchema inputSchema)
            : base(parent.Host.Register(nameof(Mapper)), inputSchema, parent)
        {
            _parent = parent;
            _inputIndex = InputColumnCheck.Require(inputSchema, parent.InputColumnName,
                t => t is VectorDataViewType v && v.ItemType == NumberDataViewType.Single && v.Size == parent.Size,
                $"a Vector<Single> of {parent.Size} values").Index;
        }

        protected override DataViewSchema.DetachedColumn[] GetOutputColumnsCore() =>
            [new DataViewSchema.DetachedColumn(_parent.OutputColumnName, new VectorDataViewType(NumberDataViewType.Single, _parent.Size))];

        protected override Delegate MakeGetter(DataViewRow input, int iinfo, Func<int, bool> activeOutput, out Action? disposer)
        {
            disposer = null;
            var source = input.GetGetter<VBuffer<float>>(input.Schema[_inputIndex]);
            VBuffer<float> value = default;
            ValueGetter<VBuffer<float>> getter = (ref VBuffer<float> destination) =>
            {
                source(ref value);
                value.CopyTo(ref destination);
            };
            return getter;
        }

        protected override Func<int, bool> GetDependenciesCore(Func<int, bool> activeOutput) =>
            column => column == _inputIndex && activeOutput(0);

        protected override void SaveModel(ModelSaveContext ctx) => _parent.SaveModel(ctx);
    }
}
