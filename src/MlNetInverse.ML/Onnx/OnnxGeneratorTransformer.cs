using System.Text;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using MlNetInverse.ML.Batching;
using MlNetInverse.ML.Mdn;
using MlNetInverse.ML.Onnx;
using MlNetInverse.ML.Persistence;
using MlNetInverse.ML.Schema;
using MlNetInverse.ML.Scoring;
using MlNetInverse.Models.Devices;
using MlNetInverse.Models.Surrogate;

[assembly: LoadableClass(typeof(OnnxGeneratorTransformer), null, typeof(SignatureLoadModel),
    OnnxGeneratorTransformer.UserName, OnnxGeneratorTransformer.LoaderSignature)]
[assembly: LoadableClass(typeof(IRowMapper), typeof(OnnxGeneratorTransformer), null, typeof(SignatureLoadRowMapper),
    OnnxGeneratorTransformer.UserName, OnnxGeneratorTransformer.LoaderSignature)]

namespace MlNetInverse.ML.Onnx;

/// <summary>
/// The exported generator on ONNX Runtime, as an ML.NET transformer: for each row's target it writes the same columns
/// as the model zip's chain — N latents (Vector&lt;Single, N, L&gt;), whether the target is in the training range,
/// N binarized designs (Vector&lt;Single, N, S, S&gt;) and their surrogate absorption (Vector&lt;Single, N&gt;) — with
/// the zip's sampling (seeded per target, <see cref="MixtureDraws"/>), calibration and surrogate screen (from the
/// manifest). Touches no TorchSharp type, so libtorch is never loaded. Saved in model zips with both graphs and the manifest.
/// </summary>
public sealed class OnnxGeneratorTransformer : RowToRowTransformerBase, IDisposable
{
    internal const string LoaderSignature = "MlNetInverseOnnxGen";
    internal const string UserName = "MlNetInverse ONNX generator";

    private readonly byte[] _decoderGraph;
    private readonly byte[] _mdnGraph;
    private readonly OnnxGeneratorEngine _engine;
    private readonly MixtureDraws _draws;
    private readonly MdnCalibration? _calibration;
    private readonly object _engineLock = new();

    private OnnxGeneratorTransformer(IHostEnvironment env, OnnxGeneratorManifest manifest, byte[] decoderGraph, byte[] mdnGraph, OnnxGeneratorOptions options)
        : base(Contracts.CheckRef(env, nameof(env)).Register(nameof(OnnxGeneratorTransformer)))
    {
        Manifest = manifest;
        _decoderGraph = decoderGraph;
        _mdnGraph = mdnGraph;
        TargetColumnName = options.TargetColumnName;
        OutputColumnName = options.OutputColumnName;
        LatentsColumnName = options.LatentsColumnName;
        PredictedAbsorptionColumnName = options.PredictedAbsorptionColumnName;
        InTrainingRangeColumnName = options.InTrainingRangeColumnName;
        Threads = options.Threads;
        Device = options.Device;
        _calibration = manifest.CalibrationConditions.Length >= 2 ? new MdnCalibration(manifest.CalibrationConditions, manifest.CalibrationAchieved) : null;
        _calibration?.Validate();
        _engine = new OnnxGeneratorEngine(decoderGraph, mdnGraph, manifest, options.Threads, options.Device, out var notice);
        _draws = new MixtureDraws(_engine);
        if (notice is not null)
        {
            using var channel = Host.Start(nameof(OnnxGeneratorTransformer));
            channel.Warning(notice);
        }
    }

    /// <summary>Shapes, sampling settings, calibration and screen of the export.</summary>
    public OnnxGeneratorManifest Manifest { get; }

    /// <summary>Designs N per target: the screen's keep, or every draw.</summary>
    public int SamplesPerTarget => Manifest.SelectionKeep > 0 ? Manifest.SelectionKeep : Manifest.SamplesPerTarget;

    public string TargetColumnName { get; }

    public string OutputColumnName { get; }

    public string LatentsColumnName { get; }

    public string PredictedAbsorptionColumnName { get; }

    public string InTrainingRangeColumnName { get; }

    /// <summary>ONNX Runtime intra-op threads.</summary>
    public int Threads { get; }

    /// <summary>The device requested.</summary>
    public ComputeDevice Device { get; }

    private static VersionInfo VersionInfo => ComponentVersion.Of<OnnxGeneratorTransformer>("ONNXGENR", LoaderSignature);

    /// <summary>Opens the export at <see cref="OnnxGeneratorOptions.ModelPath"/> (the .onnx or its .json manifest), hashes checked.</summary>
    internal static OnnxGeneratorTransformer Open(IHostEnvironment env, OnnxGeneratorOptions options)
    {
        string path = options.ModelPath!;
        if (!File.Exists(path)) throw new FileNotFoundException($"ONNX generator '{path}' does not exist; export one with mlContext.Inverse().ExportOnnx(...).", path);
        string manifestPath = path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? path : OnnxGeneratorNames.ManifestPath(path);
        var manifest = OnnxGeneratorManifest.Load(manifestPath);
        string folder = Path.GetDirectoryName(Path.GetFullPath(manifestPath))!;
        string decoderPath = Path.Combine(folder, manifest.DecoderFile), mdnPath = Path.Combine(folder, manifest.MdnFile);
        var decoder = File.ReadAllBytes(decoderPath);
        var mdn = File.ReadAllBytes(mdnPath);
        // The bytes that run are the ones checked.
        manifest.CheckLoaded(decoder, mdn: false, decoderPath, manifestPath);
        manifest.CheckLoaded(mdn, mdn: true, mdnPath, manifestPath);
        return new OnnxGeneratorTransformer(env, manifest, decoder, mdn, options);
    }

    /// <summary>
    /// The generation of one target: latents [N*L], range flag, binarized images [N*S*S], surrogate absorption [N];
    /// the manifest's M draws screened down to N when it has a screen.
    /// </summary>
    /// <exception cref="InvalidOperationException">A target that is not a finite number.</exception>
    internal (float[] Latents, bool InRange, float[] Images, float[] Absorption) Generate(float target)
    {
        if (!float.IsFinite(target))
            throw new InvalidOperationException($"Column '{TargetColumnName}' holds the target absorption {target}; a target must be a finite number such as 0.65.");
        int m = Manifest.SamplesPerTarget, l = Manifest.LatentDimension, pixels = Manifest.ImageSize * Manifest.ImageSize;
        float condition = _calibration is null ? target : (float)_calibration.ConditionFor(target);
        var latents = new float[m * l];
        var images = new float[m * pixels];
        var absorption = new float[m];
        lock (_engineLock)
        {
            Host.CheckAlive();
            _draws.Draw([condition], [LatentSampler.RowSeed(Manifest.SamplingSeed, target)], m, latents);
            _engine.Decode(latents, m, images, absorption);
        }
        bool inRange = target >= (float)Manifest.TrainingAbsorptionMin && target <= (float)Manifest.TrainingAbsorptionMax;
        if (Manifest.SelectionKeep == 0) return (latents, inRange, images, absorption);
        // The zip's screen (SampleSelectionTransformer): the same ranking, the same ties, the same strata or weights.
        var order = SurrogateScreen.Choose(absorption, target, Manifest.SelectionKeep, images, pixels, Manifest.SelectionVolumeFractionStrata,
            Manifest.SelectionSoftness, Manifest.SamplingSeed);
        var keptLatents = new float[order.Length * l];
        var keptImages = new float[order.Length * pixels];
        var keptAbsorption = new float[order.Length];
        for (int k = 0; k < order.Length; k++)
        {
            Array.Copy(latents, order[k] * l, keptLatents, k * l, l);
            Array.Copy(images, order[k] * pixels, keptImages, k * pixels, pixels);
            keptAbsorption[k] = absorption[order[k]];
        }
        return (keptLatents, inRange, keptImages, keptAbsorption);
    }

    public void Dispose() => _engine.Dispose();

    // *** Binary format ***
    // string: manifest JSON; int + bytes: decoder graph; int + bytes: MDN graph
    // int: ids of the target, images, latents, predicted absorption and range column names (string table)
    // int: threads; int: requested device
    protected override void SaveModel(ModelSaveContext ctx)
    {
        Host.CheckValue(ctx, nameof(ctx));
        ctx.CheckAtModel();
        ctx.SetVersionInfo(VersionInfo);
        ctx.Writer.Write(Manifest.ToJson());
        foreach (var graph in new[] { _decoderGraph, _mdnGraph })
        {
            ctx.Writer.Write(graph.Length);
            ctx.Writer.Write(graph);
        }
        foreach (var name in new[] { TargetColumnName, OutputColumnName, LatentsColumnName, PredictedAbsorptionColumnName, InTrainingRangeColumnName })
            ctx.SaveNonEmptyString(name);
        ctx.Writer.Write(Threads);
        ctx.Writer.Write((int)Device);
    }

    protected override IRowMapper MakeRowMapper(DataViewSchema schema) => new Mapper(this, schema);

    // Factory method for SignatureLoadModel.
    private static OnnxGeneratorTransformer Create(IHostEnvironment env, ModelLoadContext ctx)
    {
        Contracts.CheckValue(env, nameof(env));
        env.CheckValue(ctx, nameof(ctx));
        ctx.CheckAtModel(VersionInfo);
        const string source = "the model zip's ONNX generator";
        var manifest = OnnxGeneratorManifest.Parse(ctx.Reader.ReadString(), source);
        var graphs = new byte[2][];
        for (int i = 0; i < 2; i++)
        {
            int length = ctx.Reader.ReadInt32();
            if (length < 0) throw new TorchModelFormatException($"ONNX generator: a graph declares {length} bytes; the model entry is corrupted.");
            graphs[i] = ctx.Reader.ReadBytes(length);
            if (graphs[i].Length != length) throw new TorchModelFormatException($"ONNX generator: a graph is truncated ({graphs[i].Length} of {length} bytes).");
        }
        manifest.CheckLoaded(graphs[0], mdn: false, "decoder graph", source);
        manifest.CheckLoaded(graphs[1], mdn: true, "MDN graph", source);
        var options = new OnnxGeneratorOptions
        {
            TargetColumnName = ctx.LoadNonEmptyString(),
            OutputColumnName = ctx.LoadNonEmptyString(),
            LatentsColumnName = ctx.LoadNonEmptyString(),
            PredictedAbsorptionColumnName = ctx.LoadNonEmptyString(),
            InTrainingRangeColumnName = ctx.LoadNonEmptyString(),
            Threads = ctx.Reader.ReadInt32(),
        };
        int device = ctx.Reader.ReadInt32();
        options.Device = Enum.IsDefined((ComputeDevice)device) ? (ComputeDevice)device
            : throw new TorchModelFormatException($"ONNX generator: device code {device} is unknown; the model entry is corrupted.");
        return new OnnxGeneratorTransformer(env, manifest, graphs[0], graphs[1], options);
    }

    // Factory method for SignatureLoadRowMapper.
    private static IRowMapper Create(IHostEnvironment env, ModelLoadContext ctx, DataViewSchema inputSchema)
        => Create(env, ctx).MakeRowMapper(inputSchema);

    private sealed class Mapper : MapperBase
    {
        private readonly OnnxGeneratorTransformer _parent;
        private readonly int _target;

        public Mapper(OnnxGeneratorTransformer parent, DataViewSchema inputSchema)
            : base(parent.Host.Register(nameof(Mapper)), inputSchema, parent)
        {
            _parent = parent;
            _target = InputColumnCheck.Require(inputSchema, parent.TargetColumnName, NumberDataViewType.Single, "Target").Index;
        }

        // The zip chain's columns, in its order: MDN (latents, range flag), then decoder (images, absorption).
        protected override DataViewSchema.DetachedColumn[] GetOutputColumnsCore()
        {
            var m = _parent.Manifest;
            int n = _parent.SamplesPerTarget;
            return
            [
                new(_parent.LatentsColumnName, new VectorDataViewType(NumberDataViewType.Single, n, m.LatentDimension)),
                new(_parent.InTrainingRangeColumnName, BooleanDataViewType.Instance),
                new(_parent.OutputColumnName, new VectorDataViewType(NumberDataViewType.Single, n, m.ImageSize, m.ImageSize)),
                new(_parent.PredictedAbsorptionColumnName, new VectorDataViewType(NumberDataViewType.Single, n)),
            ];
        }

        public override Delegate[] CreateGetters(DataViewRow input, Func<int, bool> activeOutput, out Action? disposer)
        {
            disposer = null;
            if (!Enumerable.Range(0, 4).Any(activeOutput)) return new Delegate[4];
            var state = new RowState(_parent, input.GetGetter<float>(input.Schema[_target]));
            return Enumerable.Range(0, 4).Select(i => activeOutput(i) ? state.Getter(i) : null!).ToArray();
        }

        protected override Delegate MakeGetter(DataViewRow input, int iinfo, Func<int, bool> activeOutput, out Action? disposer)
        {
            disposer = null;
            return new RowState(_parent, input.GetGetter<float>(input.Schema[_target])).Getter(iinfo);
        }

        protected override Func<int, bool> GetDependenciesCore(Func<int, bool> activeOutput) =>
            column => Enumerable.Range(0, 4).Any(activeOutput) && column == _target;

        protected override void SaveModel(ModelSaveContext ctx) => _parent.SaveModel(ctx);
    }

    /// <summary>
    /// The generation for the row the getters look at. A row's output depends only on its target, so the last
    /// target's result is reused by the other getters of the same row (and by equal targets).
    /// </summary>
    private sealed class RowState(OnnxGeneratorTransformer parent, ValueGetter<float> target)
    {
        private (float[] Latents, bool InRange, float[] Images, float[] Absorption)? _last;
        private int _lastBits;

        public Delegate Getter(int output)
        {
            if (output == 1)
            {
                ValueGetter<bool> flag = (ref bool value) => value = Current().InRange;
                return flag;
            }
            ValueGetter<VBuffer<float>> getter = (ref VBuffer<float> destination) =>
            {
                var result = Current();
                InputReader.Write<float>(output switch { 0 => result.Latents, 2 => result.Images, _ => result.Absorption }, ref destination);
            };
            return getter;
        }

        private (float[] Latents, bool InRange, float[] Images, float[] Absorption) Current()
        {
            float value = 0;
            target(ref value);
            int bits = BitConverter.SingleToInt32Bits(value);
            if (_last is null || bits != _lastBits)
            {
                _last = parent.Generate(value);
                _lastBits = bits;
            }
            return _last.Value;
        }
    }
}
