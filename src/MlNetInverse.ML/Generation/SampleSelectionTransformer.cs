using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using MlNetInverse.ML.Generation;
using MlNetInverse.ML.Persistence;
using MlNetInverse.ML.Schema;
using MlNetInverse.Models.Surrogate;

[assembly: LoadableClass(typeof(SampleSelectionTransformer), null, typeof(SignatureLoadModel),
    SampleSelectionTransformer.UserName, SampleSelectionTransformer.LoaderSignature)]
[assembly: LoadableClass(typeof(IRowMapper), typeof(SampleSelectionTransformer), null, typeof(SignatureLoadRowMapper),
    SampleSelectionTransformer.UserName, SampleSelectionTransformer.LoaderSignature)]

namespace MlNetInverse.ML.Generation;

/// <summary>
/// Keeps, of the M generated samples of a row, the <see cref="Keep"/> whose predicted absorption is closest to the
/// row's target: |predicted - target| ascending, ties by draw order. The image and prediction columns are replaced
/// (same names) by Vector&lt;Single, Keep*S*S&gt; and Vector&lt;Single, Keep&gt; in that order. A surrogate screen: the
/// kept designs still need an RCWA judgement. Saved in model zips (column names and sizes only).
/// </summary>
public sealed class SampleSelectionTransformer : RowToRowTransformerBase
{
    internal const string LoaderSignature = "MlNetInverseSelection";
    internal const string UserName = "MlNetInverse closest-sample selection";

    internal SampleSelectionTransformer(IHostEnvironment env, int keep, int candidates, int pixels,
        string targetColumnName, string imagesColumnName, string predictedAbsorptionColumnName)
        : base(Contracts.CheckRef(env, nameof(env)).Register(nameof(SampleSelectionTransformer)))
    {
        if (keep < 1 || keep > candidates || pixels < 1)
            throw new ArgumentOutOfRangeException(nameof(keep), $"Keep {keep} of {candidates} samples of {pixels} pixels is not a valid selection.");
        Keep = keep;
        Candidates = candidates;
        Pixels = pixels;
        TargetColumnName = targetColumnName;
        ImagesColumnName = imagesColumnName;
        PredictedAbsorptionColumnName = predictedAbsorptionColumnName;
    }

    /// <summary>Samples kept per row.</summary>
    public int Keep { get; }

    /// <summary>Samples M read per row.</summary>
    public int Candidates { get; }

    /// <summary>Pixels S*S of one image.</summary>
    public int Pixels { get; }

    public string TargetColumnName { get; }

    public string ImagesColumnName { get; }

    public string PredictedAbsorptionColumnName { get; }

    private static VersionInfo VersionInfo => new(
        modelSignature: "SAMPLSEL",
        verWrittenCur: 0x00010001, // initial
        verReadableCur: 0x00010001,
        verWeCanReadBack: 0x00010001,
        loaderAssemblyName: typeof(SampleSelectionTransformer).Assembly.FullName,
        loaderSignature: LoaderSignature,
        loaderSignatureAlt: null);

    /// <summary>The last <see cref="SampleSelectionTransformer"/> in <paramref name="model"/> (itself or inside a chain), or null.</summary>
    public static SampleSelectionTransformer? FindIn(ITransformer model) => model switch
    {
        SampleSelectionTransformer step => step,
        IEnumerable<ITransformer> chain => chain.Reverse().Select(FindIn).FirstOrDefault(t => t is not null),
        _ => null,
    };

    /// <summary>M and S*S from the columns of <paramref name="schema"/>, checked.</summary>
    internal static (int Candidates, int Pixels) Shape(DataViewSchema schema, string target, string images, string predicted)
    {
        InputColumnCheck.Require(schema, target, NumberDataViewType.Single);
        var predictions = InputColumnCheck.Require(schema, predicted, IsSingles, "a known-size Vector<Single> (one value per sample)");
        int m = ((VectorDataViewType)predictions.Type).Size;
        var imageColumn = InputColumnCheck.Require(schema, images,
            type => IsSingles(type) && ((VectorDataViewType)type).Size % m == 0, $"a Vector<Single> of {m} images ({m} predictions in '{predicted}')");
        return (m, ((VectorDataViewType)imageColumn.Type).Size / m);
    }

    private static bool IsSingles(DataViewType type) => type is VectorDataViewType { IsKnownSize: true } v && v.ItemType == NumberDataViewType.Single;

    // *** Binary format ***
    // int: keep; int: candidates M; int: pixels per image
    // int: ids of the target, images and predicted absorption column names (string table)
    protected override void SaveModel(ModelSaveContext ctx)
    {
        Host.CheckValue(ctx, nameof(ctx));
        ctx.CheckAtModel();
        ctx.SetVersionInfo(VersionInfo);
        ctx.Writer.Write(Keep);
        ctx.Writer.Write(Candidates);
        ctx.Writer.Write(Pixels);
        ctx.SaveNonEmptyString(TargetColumnName);
        ctx.SaveNonEmptyString(ImagesColumnName);
        ctx.SaveNonEmptyString(PredictedAbsorptionColumnName);
    }

    protected override IRowMapper MakeRowMapper(DataViewSchema schema) => new Mapper(this, schema);

    // Factory method for SignatureLoadModel.
    private static SampleSelectionTransformer Create(IHostEnvironment env, ModelLoadContext ctx)
    {
        Contracts.CheckValue(env, nameof(env));
        env.CheckValue(ctx, nameof(ctx));
        ctx.CheckAtModel(VersionInfo);
        int keep = ctx.Reader.ReadInt32(), candidates = ctx.Reader.ReadInt32(), pixels = ctx.Reader.ReadInt32();
        string target = ctx.LoadNonEmptyString(), images = ctx.LoadNonEmptyString(), predicted = ctx.LoadNonEmptyString();
        try
        {
            return new SampleSelectionTransformer(env, keep, candidates, pixels, target, images, predicted);
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new TorchModelFormatException($"sample selection: {SavedTorchModel.OneLine(e.Message)} The model entry is corrupted.", e);
        }
    }

    // Factory method for SignatureLoadRowMapper.
    private static IRowMapper Create(IHostEnvironment env, ModelLoadContext ctx, DataViewSchema inputSchema)
        => Create(env, ctx).MakeRowMapper(inputSchema);

    private sealed class Mapper : MapperBase
    {
        private readonly SampleSelectionTransformer _parent;
        private readonly int[] _inputs;

        public Mapper(SampleSelectionTransformer parent, DataViewSchema inputSchema)
            : base(parent.Host.Register(nameof(Mapper)), inputSchema, parent)
        {
            _parent = parent;
            var (m, pixels) = Shape(inputSchema, parent.TargetColumnName, parent.ImagesColumnName, parent.PredictedAbsorptionColumnName);
            if (m != parent.Candidates || pixels != parent.Pixels)
                throw new ArgumentOutOfRangeException(nameof(inputSchema),
                    $"Column '{parent.PredictedAbsorptionColumnName}' holds {m} samples of {pixels} pixels; this selection was fitted for {parent.Candidates} of {parent.Pixels}.");
            _inputs = [inputSchema[parent.TargetColumnName].Index, inputSchema[parent.ImagesColumnName].Index, inputSchema[parent.PredictedAbsorptionColumnName].Index];
        }

        protected override DataViewSchema.DetachedColumn[] GetOutputColumnsCore() =>
        [
            new(_parent.ImagesColumnName, new VectorDataViewType(NumberDataViewType.Single, _parent.Keep * _parent.Pixels)),
            new(_parent.PredictedAbsorptionColumnName, new VectorDataViewType(NumberDataViewType.Single, _parent.Keep)),
        ];

        public override Delegate[] CreateGetters(DataViewRow input, Func<int, bool> activeOutput, out Action? disposer)
        {
            disposer = null;
            var state = new RowState(_parent, input, _inputs);
            return [activeOutput(0) ? state.Getter(0) : null!, activeOutput(1) ? state.Getter(1) : null!];
        }

        protected override Delegate MakeGetter(DataViewRow input, int iinfo, Func<int, bool> activeOutput, out Action? disposer)
        {
            disposer = null;
            return new RowState(_parent, input, _inputs).Getter(iinfo);
        }

        protected override Func<int, bool> GetDependenciesCore(Func<int, bool> activeOutput) =>
            column => (activeOutput(0) || activeOutput(1)) && _inputs.Contains(column);

        protected override void SaveModel(ModelSaveContext ctx) => _parent.SaveModel(ctx);
    }

    /// <summary>
    /// The selection of the row the getters look at. Recomputed on every call (a sort of M values and a copy): row
    /// positions are not trusted to change between prediction-engine calls.
    /// </summary>
    private sealed class RowState
    {
        private readonly SampleSelectionTransformer _parent;
        private readonly ValueGetter<float> _target;
        private readonly ValueGetter<VBuffer<float>> _images;
        private readonly ValueGetter<VBuffer<float>> _predicted;
        private readonly float[] _keptImages;
        private readonly float[] _keptPredictions;
        private VBuffer<float> _imageBuffer;
        private VBuffer<float> _predictionBuffer;

        public RowState(SampleSelectionTransformer parent, DataViewRow row, int[] inputs)
        {
            _parent = parent;
            _target = row.GetGetter<float>(row.Schema[inputs[0]]);
            _images = row.GetGetter<VBuffer<float>>(row.Schema[inputs[1]]);
            _predicted = row.GetGetter<VBuffer<float>>(row.Schema[inputs[2]]);
            _keptImages = new float[parent.Keep * parent.Pixels];
            _keptPredictions = new float[parent.Keep];
        }

        public Delegate Getter(int output)
        {
            var values = output == 0 ? _keptImages : _keptPredictions;
            ValueGetter<VBuffer<float>> getter = (ref VBuffer<float> destination) =>
            {
                Update();
                InputReader.Write<float>(values, ref destination);
            };
            return getter;
        }

        private void Update()
        {
            float target = 0;
            _target(ref target);
            _images(ref _imageBuffer);
            _predicted(ref _predictionBuffer);
            var predictions = _predictionBuffer.DenseValues().ToArray();
            var order = SurrogateScreen.Closest(predictions, target, _parent.Keep);
            var images = _imageBuffer.DenseValues().ToArray();
            int pixels = _parent.Pixels;
            for (int k = 0; k < order.Length; k++)
            {
                Array.Copy(images, order[k] * pixels, _keptImages, k * pixels, pixels);
                _keptPredictions[k] = predictions[order[k]];
            }
        }
    }
}
