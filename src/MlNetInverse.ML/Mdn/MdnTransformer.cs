using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using MlNetInverse.ML.Batching;
using MlNetInverse.ML.Data;
using MlNetInverse.ML.Generation;
using MlNetInverse.ML.Mdn;
using MlNetInverse.ML.Persistence;
using MlNetInverse.Models.Devices;
using MlNetInverse.Models.Mdn;
using MlNetInverse.Physics.Optics;
using TorchSharp;
using static TorchSharp.torch;

[assembly: LoadableClass(typeof(MdnTransformer), null, typeof(SignatureLoadModel), MdnTransformer.UserName, MdnTransformer.LoaderSignature)]
[assembly: LoadableClass(typeof(IRowMapper), typeof(MdnTransformer), null, typeof(SignatureLoadRowMapper), MdnTransformer.UserName, MdnTransformer.LoaderSignature)]

namespace MlNetInverse.ML.Mdn;

/// <summary>
/// A fitted MDN (<see cref="MdnEstimator"/>): for each row's target absorption (Single) it writes N latents drawn from
/// the mixture (Vector&lt;Single, N, L&gt;, sample n at n*L; each draw picks its own component, sigma is a standard
/// deviation) and whether the target lies inside the training absorption range (Boolean; outside it the MDN
/// extrapolates). A row's draws depend only on <see cref="LatentSamplerTransformer.SamplingSeed"/> and the target (<see cref="RowSeed"/>).
/// Saved in model zips with its weights, normalisation, training range, held-out NLL and the labels' optical stack.
/// </summary>
public sealed class MdnTransformer : LatentSamplerTransformer
{
    internal const string LoaderSignature = "MlNetInverseMdn";
    internal const string UserName = "MlNetInverse mixture density network";
    internal const string Component = "MDN";

    private readonly MixtureDensityNetwork _model;
    private MlNetInverse.Models.Mdn.NoiseFactors? _noiseFactors;

    internal MdnTransformer(IHostEnvironment env, MixtureDensityNetwork model, string outputColumnName, string targetColumnName,
        string inTrainingRangeColumnName, int samplesPerTarget, long samplingSeed, ComputeDevice device, OpticalStack? stack,
        MdnHeldOutEvaluation? heldOut, MdnTrainingSummary? trainingSummary, MdnCalibration? calibration = null)
        : base(env, nameof(MdnTransformer), outputColumnName, LatentsType(model, samplesPerTarget), targetColumnName, inTrainingRangeColumnName,
            model.TrainingAbsorptionMin, model.TrainingAbsorptionMax, samplesPerTarget, samplingSeed, device, stack)
    {
        _model = model;
        PlaceForInference(device, _model);
        HeldOut = heldOut;
        TrainingSummary = trainingSummary;
        calibration?.Validate();
        Calibration = calibration;
    }

    /// <summary>Dimension L of one latent.</summary>
    public override int LatentDimension => _model.Options.LatentDimension;

    /// <summary>The network's architecture.</summary>
    public MdnOptions Architecture => _model.Options;

    /// <summary>Smallest absorption of the training pairs.</summary>
    public override double TrainingAbsorptionMin => _model.TrainingAbsorptionMin;

    /// <summary>Largest absorption of the training pairs.</summary>
    public override double TrainingAbsorptionMax => _model.TrainingAbsorptionMax;

    /// <summary>Held-out NLL measured in Fit (a test result); kept in the model zip. Null only for hand-built transformers.</summary>
    public MdnHeldOutEvaluation? HeldOut { get; }

    /// <summary>Training history of the fit; null for a transformer loaded from a model zip.</summary>
    public MdnTrainingSummary? TrainingSummary { get; }

    /// <summary>
    /// How targets map to the MDN's conditioning value (see <see cref="MdnCalibration"/>), or null: the MDN is
    /// conditioned on the target itself, as in the paper.
    /// </summary>
    public MdnCalibration? Calibration { get; }

    /// <summary>The network itself (for ONNX export and batch scoring; owned by this transformer).</summary>
    internal MixtureDensityNetwork Network => _model;

    /// <summary>One target per forward pass anyway (each row has its own seed); this bounds the rows buffered per batch.</summary>
    public override int BatchSize => 64;

    private protected override string ComponentName => Component;

    internal static VersionInfo VersionInfo => ComponentVersion.Of<MdnTransformer>("MDNSAMPL", LoaderSignature);

    private protected override VersionInfo GetVersionInfo() => VersionInfo;

    /// <summary>True when <paramref name="absorption"/> lies inside the training range (ends included, compared in float32); NaN is outside.</summary>
    public override bool IsInTrainingRange(double absorption) => _model.IsInTrainingRange(absorption);

    /// <inheritdoc/>
    public override string SamplerName => "MDN";

    /// <summary>
    /// The seed of one row's draws: a SplitMix64 mix of <paramref name="samplingSeed"/> and the float32 bits of
    /// <paramref name="target"/>. Rows with the same target and seed get the same latents; asking for more samples
    /// only appends draws (draw n is always the same).
    /// </summary>
    public static long RowSeed(long samplingSeed, float target) => Scoring.LatentSampler.RowSeed(samplingSeed, target);

    /// <summary>A copy of this transformer (its own model copy) drawing <paramref name="samplesPerTarget"/> latents per row with <paramref name="samplingSeed"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="samplesPerTarget"/> below 1.</exception>
    public MdnTransformer WithSampling(int samplesPerTarget, long samplingSeed)
    {
        if (samplesPerTarget < 1) throw new ArgumentOutOfRangeException(nameof(samplesPerTarget), samplesPerTarget, "Draw at least 1 sample per target.");
        var copy = ModelBytes.Copy(_model.Save, reader => MixtureDensityNetwork.Load(reader, Device));
        return new MdnTransformer(Host, copy, OutputColumnName, InputColumnName, InTrainingRangeColumnName, samplesPerTarget, samplingSeed,
            Device, Stack, HeldOut, TrainingSummary, Calibration);
    }

    /// <summary>A copy of this transformer (its own model copy) with <paramref name="calibration"/> (null: none).</summary>
    public MdnTransformer WithCalibration(MdnCalibration? calibration)
    {
        var copy = ModelBytes.Copy(_model.Save, reader => MixtureDensityNetwork.Load(reader, Device));
        return new MdnTransformer(Host, copy, OutputColumnName, InputColumnName, InTrainingRangeColumnName, SamplesPerTarget, SamplingSeed,
            Device, Stack, HeldOut, TrainingSummary, calibration);
    }

    /// <summary>
    /// A copy of this transformer whose network draws independent noise (MixtureDensityNetwork.WithIndependentNoise):
    /// the paper's sampling from a model trained with correlated noise; calibration and seeds as here.
    /// </summary>
    public MdnTransformer WithIndependentNoise() =>
        new(Host, _model.WithIndependentNoise(), OutputColumnName, InputColumnName, InTrainingRangeColumnName, SamplesPerTarget, SamplingSeed,
            Device, Stack, HeldOut, TrainingSummary, Calibration);

    /// <summary>
    /// A copy (its own model) drawing <paramref name="samplesPerTarget"/> latents with <paramref name="samplingSeed"/>,
    /// with <paramref name="calibration"/> and the given column names: the generation estimator's MDN step.
    /// </summary>
    internal MdnTransformer Copy(int samplesPerTarget, long samplingSeed, MdnCalibration? calibration,
        string outputColumnName, string targetColumnName, string inTrainingRangeColumnName)
    {
        var copy = ModelBytes.Copy(_model.Save, reader => MixtureDensityNetwork.Load(reader, Device));
        return new MdnTransformer(Host, copy, outputColumnName, targetColumnName, inTrainingRangeColumnName, samplesPerTarget, samplingSeed,
            Device, Stack, HeldOut, TrainingSummary, calibration);
    }

    internal override LatentSamplerTransformer CopySampler(int samplesPerTarget, long samplingSeed,
        string outputColumnName, string targetColumnName, string inTrainingRangeColumnName) =>
        Copy(samplesPerTarget, samplingSeed, Calibration, outputColumnName, targetColumnName, inTrainingRangeColumnName);

    /// <summary><paramref name="count"/> latents (count * L values) drawn with the MDN conditioned on <paramref name="condition"/> itself.</summary>
    internal float[] Draw(float condition, int count, long seed)
    {
        var latents = new float[count * LatentDimension];
        MixtureDraws(condition, seed, inTrainingRange: false).Draw(0, count, latents);
        return latents;
    }

    /// <summary>
    /// The mixture the network gives for <paramref name="condition"/>, to draw from with <paramref name="seed"/>'s stream:
    /// the shared sampling core (the engines' <see cref="Scoring.LatentSampler"/>) picks components, draws normals and
    /// combines, so this chain, batch scoring and the ONNX generator draw through one core. Value for value the draws
    /// of MixtureDensityNetwork.Sample.
    /// </summary>
    private TargetDraws MixtureDraws(float condition, long seed, bool inTrainingRange)
    {
        // Read once per transformer: one [L, L] factor per noise band; a target draws with its condition's band.
        _noiseFactors ??= _model.NoiseFactors();
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        using var mixture = _model.Mixture(torch.tensor(new[] { condition }));
        return new TargetDraws(Floats(mixture.LogWeights), Floats(mixture.Means), Floats(mixture.Sigmas), seed,
            _model.Options.Components, LatentDimension, inTrainingRange, _noiseFactors?.For(condition));
    }

    /// <summary>
    /// One target's draws as Transform makes them (this transformer's seed and calibration), to be taken in any ranges:
    /// the network runs once here, and draws k..k+n-1 then come out value for value as positions k..k+n-1 of the
    /// target's latents column (the stream is skipped to k). What Transform and the generate command's chunked
    /// generation draw from.
    /// </summary>
    /// <exception cref="InvalidOperationException"><paramref name="target"/> is not a finite number.</exception>
    internal override LatentDraws DrawsFor(float target)
    {
        if (!float.IsFinite(target)) throw NotFinite(target);
        float condition = Calibration is null ? target : (float)Calibration.ConditionFor(target);
        return MixtureDraws(condition, RowSeed(SamplingSeed, target), _model.IsInTrainingRange(target));
    }

    /// <summary>One target's mixture and stream seed (<see cref="DrawsFor"/>); plain arrays, no torch.</summary>
    internal sealed class TargetDraws(float[] logWeights, float[] means, float[] sigmas, long seed, int components, int latentDimension, bool inTrainingRange, float[]? noiseFactor)
        : LatentDraws
    {
        public override int LatentDimension => latentDimension;

        public override bool InTrainingRange => inTrainingRange;

        public override void Draw(long first, int count, Span<float> latents) =>
            Scoring.LatentSampler.DrawFromMixtures(logWeights, means, sigmas, [seed], components, latentDimension, count, latents, first, noiseFactor);
    }

    private static float[] Floats(Tensor tensor) => tensor.detach().cpu().contiguous().data<float>().ToArray();

    /// <summary>The last <see cref="MdnTransformer"/> in <paramref name="model"/> (itself or inside a chain), or null.</summary>
    public static new MdnTransformer? FindIn(ITransformer model) => TransformerChains.FindLast<MdnTransformer>(model);

    // *** Binary format (options block) ***
    // int:    samples per target N
    // long:   sampling seed
    // string: in-training-range column name
    // int:    requested device (ComputeDevice)
    // string: optical stack JSON of the labels, empty for none
    // bool:   held-out evaluation present; then int count, double NLL, double NLL per dimension, double training NLL
    // int:    calibration points P (0 = none); then P doubles conditions, P doubles achieved absorption
    // Weights: MixtureDensityNetwork.Save (options JSON header, then weights and the normalisation/range buffers).
    private protected override void SaveOptions(BinaryWriter writer)
    {
        SaveSamplingOptions(writer);
        writer.Write(HeldOut is not null);
        if (HeldOut is not null)
        {
            writer.Write(HeldOut.Count);
            writer.Write(HeldOut.NegativeLogLikelihood);
            writer.Write(HeldOut.NegativeLogLikelihoodPerDimension);
            writer.Write(HeldOut.TrainingNegativeLogLikelihood);
        }
        writer.Write(Calibration?.Conditions.Count ?? 0);
        foreach (var value in Calibration is null ? [] : Calibration.Conditions.Concat(Calibration.Achieved)) writer.Write(value);
    }

    private protected override void SaveWeights(BinaryWriter writer) => _model.Save(writer);

    private protected override void DisposeModel() => _model.Dispose();

    private static VectorDataViewType LatentsType(MixtureDensityNetwork model, int samplesPerTarget)
    {
        ArgumentNullException.ThrowIfNull(model);
        return LatentsType(samplesPerTarget, model.Options.LatentDimension);
    }

    // Factory method for SignatureLoadModel.
    private static MdnTransformer Create(IHostEnvironment env, ModelLoadContext ctx)
    {
        var saved = TorchModelFormat.Read(env, ctx, VersionInfo, Component);
        var (sampling, heldOut, calibration) = saved.ReadOptions(reader =>
        {
            var common = ReadSamplingOptions(reader);
            MdnHeldOutEvaluation? evaluation = reader.ReadBoolean()
                ? new MdnHeldOutEvaluation(reader.ReadInt32(), reader.ReadDouble(), reader.ReadDouble(), reader.ReadDouble())
                : null;
            int points = reader.ReadInt32();
            if (points < 0 || points > 100_000) throw new FormatException($"the calibration declares {points} points");
            var values = Enumerable.Range(0, 2 * points).Select(_ => reader.ReadDouble()).ToArray();
            var table = points == 0 ? null : new MdnCalibration(values[..points], values[points..]);
            table?.Validate();
            return (common, evaluation, table);
        });
        var stack = sampling.Stack(Component);
        int samples = sampling.SamplesPerTarget;
        MixtureDensityNetwork? model = null;
        saved.LoadWeights(reader => model = MixtureDensityNetwork.Load(reader, sampling.LoadDevice));
        // Zips store sizes only: the dimensions [N, L] come back from the model.
        if (saved.InputType != NumberDataViewType.Single || !TorchColumnType.Accepts(LatentsType(model!, samples), saved.OutputType))
        {
            model!.Dispose();
            throw new TorchModelFormatException($"{Component}: the options block (N={samples}) does not match the saved model or its columns; the model entry is corrupted.");
        }
        return new MdnTransformer(env, model!, saved.OutputColumnName, saved.InputColumnName, sampling.InTrainingRangeColumnName, samples,
            sampling.SamplingSeed, sampling.LoadDevice, stack, heldOut, trainingSummary: null, calibration);
    }

    // Factory method for SignatureLoadRowMapper.
    private static IRowMapper Create(IHostEnvironment env, ModelLoadContext ctx, DataViewSchema inputSchema)
        => Create(env, ctx).MakeRowMapper(inputSchema);
}
