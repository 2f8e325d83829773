using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using MlNetInverse.ML.Batching;
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
/// row's target: |predicted - target| ascending, ties by draw order (with <see cref="VolumeFractionStrata"/> above 1,
/// each stratum of the samples' volume fraction gives its share so ranked; with <see cref="Softness"/> above 0 they are
/// drawn by weight instead, <see cref="SurrogateScreen.Weighted"/>). The image and prediction columns are replaced
/// (same names) by Vector&lt;Single, Keep, S, S&gt; (1-D Keep*S*S when the input images carry no [M, S, S] dimensions)
/// and Vector&lt;Single, Keep&gt; in that order; with <see cref="LatentsColumnName"/> the latents column is replaced by
/// the kept samples' latents (Vector&lt;Single, Keep, L&gt;), aligned with the kept images. A surrogate screen: the
/// kept designs still need an RCWA judgement. Saved in model zips (column names and sizes only).
/// </summary>
public sealed class SampleSelectionTransformer : RowToRowTransformerBase
{
    internal const string LoaderSignature = "MlNetInverseSelection";
    internal const string UserName = "MlNetInverse closest-sample selection";

    internal SampleSelectionTransformer(IHostEnvironment env, int keep, int candidates, int pixels,
        string targetColumnName, string imagesColumnName, string predictedAbsorptionColumnName, string? latentsColumnName = null, int volumeFractionStrata = 1,
        double softness = 0, long seed = 0)
        : base(Contracts.CheckRef(env, nameof(env)).Register(nameof(SampleSelectionTransformer)))
    {
        if (keep < 1 || keep > candidates || pixels < 1)
            throw new ArgumentOutOfRangeException(nameof(keep), $"Keep {keep} of {candidates} samples of {pixels} pixels is not a valid selection.");
        if (volumeFractionStrata < 1)
            throw new ArgumentOutOfRangeException(nameof(volumeFractionStrata), volumeFractionStrata, "Screen within at least 1 volume fraction stratum (1: one ranking over all samples).");
        SurrogateScreen.CheckSoftness(softness, volumeFractionStrata);
        Keep = keep;
        VolumeFractionStrata = volumeFractionStrata;
        Softness = softness;
        Seed = seed;
        Candidates = candidates;
        Pixels = pixels;
        TargetColumnName = targetColumnName;
        ImagesColumnName = imagesColumnName;
        PredictedAbsorptionColumnName = predictedAbsorptionColumnName;
        LatentsColumnName = latentsColumnName;
    }

    /// <summary>Samples kept per row.</summary>
    public int Keep { get; }

    /// <summary>
    /// Strata of volume fraction the screen keeps its share from (<see cref="SurrogateScreen.ClosestWithinVolumeStrata"/>);
    /// 1: one ranking over all samples.
    /// </summary>
    public int VolumeFractionStrata { get; }

    /// <summary>
    /// The weighted screen's softness (<see cref="SurrogateScreen.Weighted"/>): the quantile of the candidates' distances
    /// that scales the weights; 0 keeps the closest.
    /// </summary>
    public double Softness { get; }

    /// <summary>Seed of the weighted screen's keys (the generation's sampling seed); unused at softness 0.</summary>
    public long Seed { get; }

    /// <summary>Samples M read per row.</summary>
    public int Candidates { get; }

    /// <summary>Pixels S*S of one image.</summary>
    public int Pixels { get; }

    public string TargetColumnName { get; }

    public string ImagesColumnName { get; }

    public string PredictedAbsorptionColumnName { get; }

    /// <summary>The latents column reordered with the images (M latents per row in, Keep out), or null: left as it is.</summary>
    public string? LatentsColumnName { get; }

    private static VersionInfo VersionInfo => ComponentVersion.Of<SampleSelectionTransformer>("SAMPLSEL", LoaderSignature,
        written: 0x00010004, readable: 0x00010004, weCanReadBack: 0x00010001); // 0x00010001 initial; 0x00010002 adds the optional latents column; 0x00010003 the volume fraction strata; 0x00010004 the softness and seed

    /// <summary>The last <see cref="SampleSelectionTransformer"/> in <paramref name="model"/> (itself or inside a chain), or null.</summary>
    public static SampleSelectionTransformer? FindIn(ITransformer model) => TransformerChains.FindLast<SampleSelectionTransformer>(model);

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
    // (0x00010002) string: latents column name, empty for none
    // (0x00010003) int: volume fraction strata (earlier entries: 1, one ranking)
    // (0x00010004) double: softness; long: seed (earlier entries: 0, keep the closest)
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
        ctx.Writer.Write(LatentsColumnName ?? string.Empty);
        ctx.Writer.Write(VolumeFractionStrata);
        ctx.Writer.Write(Softness);
        ctx.Writer.Write(Seed);
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
        string? latents = ctx.Header.ModelVerWritten >= 0x00010002 ? ctx.Reader.ReadString() : null;
        int strata = ctx.Header.ModelVerWritten >= 0x00010003 ? ctx.Reader.ReadInt32() : 1;
        bool weighted = ctx.Header.ModelVerWritten >= 0x00010004;
        double softness = weighted ? ctx.Reader.ReadDouble() : 0;
        long seed = weighted ? ctx.Reader.ReadInt64() : 0;
        try
        {
            return new SampleSelectionTransformer(env, keep, candidates, pixels, target, images, predicted, string.IsNullOrEmpty(latents) ? null : latents, strata, softness, seed);
        }
        catch (ArgumentException e)
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
        private readonly int[] _imageDimensions;
        private readonly int _latentLength;

        public Mapper(SampleSelectionTransformer parent, DataViewSchema inputSchema)
            : base(parent.Host.Register(nameof(Mapper)), inputSchema, parent)
        {
            _parent = parent;
            var (m, pixels) = Shape(inputSchema, parent.TargetColumnName, parent.ImagesColumnName, parent.PredictedAbsorptionColumnName);
            if (m != parent.Candidates || pixels != parent.Pixels)
                throw new ArgumentOutOfRangeException(nameof(inputSchema),
                    $"Column '{parent.PredictedAbsorptionColumnName}' holds {m} samples of {pixels} pixels; this selection was fitted for {parent.Candidates} of {parent.Pixels}.");
            _inputs = [inputSchema[parent.TargetColumnName].Index, inputSchema[parent.ImagesColumnName].Index, inputSchema[parent.PredictedAbsorptionColumnName].Index];
            // Images keep their [M, S, S] shape as [Keep, S, S]; 1-D images stay 1-D.
            var imageType = (VectorDataViewType)inputSchema[parent.ImagesColumnName].Type;
            _imageDimensions = imageType.Dimensions.Length == 3 && imageType.Dimensions[0] == m
                ? [parent.Keep, imageType.Dimensions[1], imageType.Dimensions[2]]
                : [parent.Keep * parent.Pixels];
            if (parent.LatentsColumnName is { } latents)
            {
                var column = InputColumnCheck.Require(inputSchema, latents, type => IsSingles(type) && ((VectorDataViewType)type).Size % m == 0,
                    $"a Vector<Single> of {m} latents ({m} predictions in '{parent.PredictedAbsorptionColumnName}')");
                _latentLength = ((VectorDataViewType)column.Type).Size / m;
                _inputs = [.. _inputs, column.Index];
            }
        }

        private int Outputs => _parent.LatentsColumnName is null ? 2 : 3;

        protected override DataViewSchema.DetachedColumn[] GetOutputColumnsCore()
        {
            var columns = new List<DataViewSchema.DetachedColumn>
            {
                new(_parent.ImagesColumnName, new VectorDataViewType(NumberDataViewType.Single, _imageDimensions)),
                new(_parent.PredictedAbsorptionColumnName, new VectorDataViewType(NumberDataViewType.Single, _parent.Keep)),
            };
            if (_parent.LatentsColumnName is { } latents)
                columns.Add(new(latents, new VectorDataViewType(NumberDataViewType.Single, _parent.Keep, _latentLength)));
            return columns.ToArray();
        }

        public override Delegate[] CreateGetters(DataViewRow input, Func<int, bool> activeOutput, out Action? disposer)
        {
            disposer = null;
            // Inputs are only active when an output is (GetDependenciesCore): no getters to take otherwise.
            if (!Enumerable.Range(0, Outputs).Any(activeOutput)) return new Delegate[Outputs];
            var state = new RowState(_parent, input, _inputs, _latentLength);
            return Enumerable.Range(0, Outputs).Select(i => activeOutput(i) ? state.Getter(i) : null!).ToArray();
        }

        protected override Delegate MakeGetter(DataViewRow input, int iinfo, Func<int, bool> activeOutput, out Action? disposer)
        {
            disposer = null;
            return new RowState(_parent, input, _inputs, _latentLength).Getter(iinfo);
        }

        protected override Func<int, bool> GetDependenciesCore(Func<int, bool> activeOutput) =>
            column => Enumerable.Range(0, Outputs).Any(activeOutput) && _inputs.Contains(column);

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
        private readonly ValueGetter<VBuffer<float>>? _latents;
        private readonly int _latentLength;
        private readonly float[] _keptImages;
        private readonly float[] _keptPredictions;
        private readonly float[] _keptLatents;
        private VBuffer<float> _imageBuffer;
        private VBuffer<float> _predictionBuffer;
        private VBuffer<float> _latentBuffer;

        public RowState(SampleSelectionTransformer parent, DataViewRow row, int[] inputs, int latentLength)
        {
            _parent = parent;
            _target = row.GetGetter<float>(row.Schema[inputs[0]]);
            _images = row.GetGetter<VBuffer<float>>(row.Schema[inputs[1]]);
            _predicted = row.GetGetter<VBuffer<float>>(row.Schema[inputs[2]]);
            _latents = inputs.Length > 3 ? row.GetGetter<VBuffer<float>>(row.Schema[inputs[3]]) : null;
            _latentLength = latentLength;
            _keptImages = new float[parent.Keep * parent.Pixels];
            _keptPredictions = new float[parent.Keep];
            _keptLatents = new float[parent.Keep * latentLength];
        }

        public Delegate Getter(int output)
        {
            var values = output switch { 0 => _keptImages, 1 => _keptPredictions, _ => _keptLatents };
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
            var images = _imageBuffer.DenseValues().ToArray();
            int pixels = _parent.Pixels;
            var order = SurrogateScreen.Choose(predictions, target, _parent.Keep, images, pixels, _parent.VolumeFractionStrata, _parent.Softness, _parent.Seed);
            for (int k = 0; k < order.Length; k++)
            {
                Array.Copy(images, order[k] * pixels, _keptImages, k * pixels, pixels);
                _keptPredictions[k] = predictions[order[k]];
            }
            if (_latents is null) return;
            _latents(ref _latentBuffer);
            var latents = _latentBuffer.DenseValues().ToArray();
            for (int k = 0; k < order.Length; k++) Array.Copy(latents, order[k] * _latentLength, _keptLatents, k * _latentLength, _latentLength);
        }
    }
}
