using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using MlNetInverse.ML.Batching;
using MlNetInverse.ML.Persistence;
using MlNetInverse.Models.Devices;
using MlNetInverse.Physics.Optics;

namespace MlNetInverse.ML.Generation;

/// <summary>
/// The first step of a generation chain: for each row's target absorption (Single) it writes N latents in the VQ-VAE's
/// layout (Vector&lt;Single, N, L&gt;, sample n at n*L) and whether the target lies inside the training absorption range
/// (Boolean). Two samplers exist: the MDN (<see cref="Mdn.MdnTransformer"/>, Gaussian mixtures snapped to the codebook
/// by the decoder) and the masked code prior (<see cref="CodePrior.CodePriorTransformer"/>, grids of real codes). The
/// decode step, the surrogate screen and chunked generation take either. A row's draws depend only on
/// <see cref="SamplingSeed"/> and the target, and draw n is the same however many are asked for.
/// </summary>
public abstract class LatentSamplerTransformer : TorchTransformerBase
{
    private readonly string? _stackJson;

    private protected LatentSamplerTransformer(IHostEnvironment env, string registrationName, string outputColumnName, VectorDataViewType latentsType,
        string targetColumnName, string inTrainingRangeColumnName, double trainingAbsorptionMin, double trainingAbsorptionMax,
        int samplesPerTarget, long samplingSeed, ComputeDevice device, OpticalStack? stack)
        : base(env, registrationName, outputColumnName, latentsType, targetColumnName, NumberDataViewType.Single,
            [new DataViewSchema.DetachedColumn(inTrainingRangeColumnName, BooleanDataViewType.Instance, RangeAnnotation(trainingAbsorptionMin, trainingAbsorptionMax))])
    {
        InTrainingRangeColumnName = inTrainingRangeColumnName;
        SamplesPerTarget = samplesPerTarget;
        SamplingSeed = samplingSeed;
        Device = device;
        Stack = stack;
        _stackJson = stack is null ? null : OpticalStackFile.ToJson(stack);
    }

    /// <summary>Latents N drawn per target row.</summary>
    public int SamplesPerTarget { get; }

    /// <summary>Seed of the draws (mixed with each row's target).</summary>
    public long SamplingSeed { get; }

    /// <summary>Dimension L of one latent (the VQ-VAE's latent grid, flattened).</summary>
    public abstract int LatentDimension { get; }

    /// <summary>Smallest absorption of the training data.</summary>
    public abstract double TrainingAbsorptionMin { get; }

    /// <summary>Largest absorption of the training data.</summary>
    public abstract double TrainingAbsorptionMax { get; }

    /// <summary>The optical stack that made the training labels (judge generated designs with it), or null when none was kept.</summary>
    public OpticalStack? Stack { get; }

    /// <summary>The device requested for sampling (a saved CUDA request runs on the CPU where no GPU is present).</summary>
    public ComputeDevice Device { get; }

    /// <summary>Name of the target absorption column read (Single).</summary>
    public string TargetColumnName => InputColumnName;

    /// <summary>Name of the Boolean range flag column.</summary>
    public string InTrainingRangeColumnName { get; }

    /// <summary>What draws the latents, for reports: "MDN" or "code prior".</summary>
    public abstract string SamplerName { get; }

    /// <summary>True when <paramref name="absorption"/> lies inside the training range (ends included); NaN is outside.</summary>
    public abstract bool IsInTrainingRange(double absorption);

    /// <summary>
    /// One target's draws as Transform makes them, to be taken in any ranges: draws k..k+n-1 come out value for value as
    /// positions k..k+n-1 of the target's latents column.
    /// </summary>
    /// <exception cref="InvalidOperationException"><paramref name="target"/> is not a finite number.</exception>
    internal abstract LatentDraws DrawsFor(float target);

    /// <summary>
    /// A copy (its own model) drawing <paramref name="samplesPerTarget"/> latents per row with <paramref name="samplingSeed"/>,
    /// with the given column names: the generation estimator's sampling step.
    /// </summary>
    internal abstract LatentSamplerTransformer CopySampler(int samplesPerTarget, long samplingSeed,
        string outputColumnName, string targetColumnName, string inTrainingRangeColumnName);

    private protected sealed override void Forward(TorchBatch batch)
    {
        int n = SamplesPerTarget, l = LatentDimension;
        var targets = batch.Input;
        var latents = batch.Singles(0);
        var inRange = batch.Booleans(1);
        for (int row = 0; row < batch.Rows; row++)
        {
            var draws = DrawsFor(targets[row]);
            draws.Draw(0, n, latents.Slice(row * n * l, n * l));
            inRange[row] = draws.InTrainingRange;
        }
    }

    /// <summary>The message for a target that is not a finite number.</summary>
    private protected InvalidOperationException NotFinite(float target) =>
        new($"Column '{TargetColumnName}' holds the target absorption {target}; a target must be a finite number such as 0.65.");

    /// <summary>The last latent sampler in <paramref name="model"/> (itself or inside a chain), or null.</summary>
    public static LatentSamplerTransformer? FindIn(ITransformer model) => TransformerChains.FindLast<LatentSamplerTransformer>(model);

    // *** Binary format: the start of every sampler's options block ***
    // int:    samples per target N
    // long:   sampling seed
    // string: in-training-range column name
    // int:    requested device (ComputeDevice)
    // string: optical stack JSON of the labels, empty for none

    /// <summary>Writes the start of the options block that every sampler shares (its own options follow).</summary>
    private protected void SaveSamplingOptions(BinaryWriter writer)
    {
        writer.Write(SamplesPerTarget);
        writer.Write(SamplingSeed);
        writer.Write(InTrainingRangeColumnName);
        writer.Write((int)Device);
        writer.Write(_stackJson ?? string.Empty);
    }

    /// <summary>Reads what <see cref="SaveSamplingOptions"/> wrote.</summary>
    /// <exception cref="FormatException">N below 1, an empty column name or an unknown device.</exception>
    private protected static SavedSampling ReadSamplingOptions(BinaryReader reader)
    {
        int n = reader.ReadInt32();
        long seed = reader.ReadInt64();
        string column = reader.ReadString();
        var device = ReadDevice(reader);
        string json = reader.ReadString();
        if (n < 1) throw new FormatException($"samples per target {n} is below 1");
        if (string.IsNullOrWhiteSpace(column)) throw new FormatException("the in-training-range column name is empty");
        return new SavedSampling(n, seed, column, device, json);
    }

    /// <summary>The shared start of a saved sampler's options block.</summary>
    private protected sealed record SavedSampling(int SamplesPerTarget, long SamplingSeed, string InTrainingRangeColumnName, ComputeDevice Device, string StackJson)
    {
        /// <summary>The device the loaded sampler runs on (<see cref="TorchTransformerBase.DeviceForLoad"/>).</summary>
        public ComputeDevice LoadDevice => DeviceForLoad(Device);

        /// <summary>The saved optical stack, or null when none was kept.</summary>
        /// <exception cref="TorchModelFormatException">The saved stack is not readable.</exception>
        public OpticalStack? Stack(string component)
        {
            if (StackJson.Length == 0) return null;
            try
            {
                return OpticalStackFile.Parse(StackJson);
            }
            catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException)
            {
                throw new TorchModelFormatException($"{component}: the saved optical stack is not readable ({SavedTorchModel.OneLine(e.Message)}).", e);
            }
        }
    }

    private protected static VectorDataViewType LatentsType(int samplesPerTarget, int latentDimension)
    {
        if (samplesPerTarget < 1) throw new ArgumentOutOfRangeException(nameof(samplesPerTarget), samplesPerTarget, "Draw at least 1 sample per target.");
        _ = checked(samplesPerTarget * latentDimension);
        return new VectorDataViewType(NumberDataViewType.Single, samplesPerTarget, latentDimension);
    }

    private static DataViewSchema.Annotations RangeAnnotation(double min, double max)
    {
        var range = new[] { min, max };
        var builder = new DataViewSchema.Annotations.Builder();
        builder.Add(GenerationColumns.TrainingAbsorptionRangeAnnotation, new VectorDataViewType(NumberDataViewType.Double, 2),
            (ref VBuffer<double> value) => value = new VBuffer<double>(2, (double[])range.Clone()));
        return builder.ToAnnotations();
    }
}

/// <summary>One target's draws from a <see cref="LatentSamplerTransformer"/>, to be taken in any ranges.</summary>
internal abstract class LatentDraws
{
    /// <summary>Dimension L of one latent.</summary>
    public abstract int LatentDimension { get; }

    /// <summary>Whether the target lies inside the sampler's training range (the range column's value).</summary>
    public abstract bool InTrainingRange { get; }

    /// <summary>Draws <paramref name="first"/>..first+count-1 of the target into <paramref name="latents"/> [count * L].</summary>
    public abstract void Draw(long first, int count, Span<float> latents);
}
