using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using MlNetInverse.ML.CodePrior;
using MlNetInverse.ML.Generation;
using MlNetInverse.ML.Persistence;
using MlNetInverse.Models.CodePrior;
using MlNetInverse.Models.Devices;
using MlNetInverse.Physics.Optics;
using MlNetInverse.Physics.Randomness;
using TorchSharp;
using static TorchSharp.torch;

[assembly: LoadableClass(typeof(CodePriorTransformer), null, typeof(SignatureLoadModel), CodePriorTransformer.UserName, CodePriorTransformer.LoaderSignature)]
[assembly: LoadableClass(typeof(IRowMapper), typeof(CodePriorTransformer), null, typeof(SignatureLoadRowMapper), CodePriorTransformer.UserName, CodePriorTransformer.LoaderSignature)]

namespace MlNetInverse.ML.CodePrior;

/// <summary>
/// A masked code prior (<see cref="MaskedCodePrior"/>) as a generation chain's sampler: for each row's target absorption
/// (Single) it fills N code grids and writes their codebook vectors in the VQ-VAE's latent layout
/// (Vector&lt;Single, N, L&gt;, L = D x G x G), so the decode step snaps nothing, and whether the target lies inside
/// the prior's training range (Boolean). Draw n of a target comes from its own SplitMix64 stream (the sampling seed,
/// the target and n), so it is the same whatever else is drawn with it. Saved in model zips with the prior's weights,
/// its codebook and the labels' optical stack.
/// </summary>
public sealed class CodePriorTransformer : LatentSamplerTransformer
{
    internal const string LoaderSignature = "MlNetInverseCodePrior";
    internal const string UserName = "MlNetInverse masked code prior";
    internal const string Component = "code prior";

    /// <summary>Grids filled together: bounds the prior's activations (about 10 MB at 64 cells and width 96).</summary>
    internal const int GridsPerCall = 256;

    private readonly MaskedCodePrior _prior;
    private readonly float[] _codebook;

    internal CodePriorTransformer(IHostEnvironment env, MaskedCodePrior prior, float[] codebook, int codeDimension, int rounds,
        string outputColumnName, string targetColumnName, string inTrainingRangeColumnName, int samplesPerTarget, long samplingSeed,
        ComputeDevice device, OpticalStack? stack)
        : base(env, nameof(CodePriorTransformer), outputColumnName, LatentsType(samplesPerTarget, Checked(prior, codebook, codeDimension, rounds)),
            targetColumnName, inTrainingRangeColumnName, prior.TrainingAbsorptionMin, prior.TrainingAbsorptionMax, samplesPerTarget, samplingSeed, device, stack)
    {
        _prior = prior;
        PlaceForInference(device, _prior);
        _codebook = codebook;
        CodeDimension = codeDimension;
        Rounds = rounds;
    }

    /// <inheritdoc/>
    public override int LatentDimension => CodeDimension * _prior.Options.Cells;

    /// <summary>Values D of one codebook vector.</summary>
    public int CodeDimension { get; }

    /// <summary>Forward passes of the prior per grid.</summary>
    public int Rounds { get; }

    /// <summary>The prior's architecture (codebook size K and grid G included).</summary>
    public CodePriorOptions Architecture => _prior.Options;

    /// <inheritdoc/>
    public override double TrainingAbsorptionMin => _prior.TrainingAbsorptionMin;

    /// <inheritdoc/>
    public override double TrainingAbsorptionMax => _prior.TrainingAbsorptionMax;

    /// <inheritdoc/>
    public override string SamplerName => "code prior";

    /// <summary>Held-out cross-entropy measured in Fit (a test result); kept in the model zip. Null for a prior wrapped from a file.</summary>
    public CodePriorHeldOutEvaluation? HeldOut { get; init; }

    /// <summary>The prior itself (owned by this transformer).</summary>
    internal MaskedCodePrior Prior => _prior;

    /// <summary>A target's N grids are filled a few rows at a time: each row is N x rounds forward passes.</summary>
    public override int BatchSize => 4;

    private protected override string ComponentName => Component;

    internal static VersionInfo VersionInfo => ComponentVersion.Of<CodePriorTransformer>("CODEPRIO", LoaderSignature);

    private protected override VersionInfo GetVersionInfo() => VersionInfo;

    /// <inheritdoc/>
    public override bool IsInTrainingRange(double absorption) =>
        absorption >= TrainingAbsorptionMin && absorption <= TrainingAbsorptionMax;

    /// <summary>
    /// Whether <paramref name="codebook"/> [K, D] holds exactly this prior's codes: a prior is only valid with the VQ-VAE
    /// whose codes it learnt.
    /// </summary>
    public bool HasCodebook(Tensor codebook)
    {
        ArgumentNullException.ThrowIfNull(codebook);
        if (codebook.shape.Length != 2 || codebook.shape[0] != _prior.Options.CodebookSize || codebook.shape[1] != CodeDimension) return false;
        return Values(codebook).AsSpan().SequenceEqual(_codebook);
    }

    /// <summary>A codebook tensor [K, D] as float32 values, row-major: how this transformer holds and saves it.</summary>
    internal static float[] Values(Tensor codebook) => codebook.detach().cpu().to_type(ScalarType.Float32).contiguous().data<float>().ToArray();

    /// <summary>
    /// The stream of draw <paramref name="draw"/> of a target with row seed <paramref name="rowSeed"/>
    /// (<see cref="Mdn.MdnTransformer.RowSeed"/>): SplitMix64 output draw+1 from that seed.
    /// </summary>
    internal static long DrawStream(long rowSeed, long draw) =>
        unchecked((long)SplitMix64.Mix((ulong)rowSeed + (ulong)(draw + 1) * SplitMix64.Gamma));

    internal override LatentDraws DrawsFor(float target)
    {
        if (!float.IsFinite(target)) throw NotFinite(target);
        return new PriorDraws(this, target, Scoring.LatentSampler.RowSeed(SamplingSeed, target), IsInTrainingRange(target));
    }

    internal override LatentSamplerTransformer CopySampler(int samplesPerTarget, long samplingSeed,
        string outputColumnName, string targetColumnName, string inTrainingRangeColumnName) =>
        WithPrior(Rounds, samplesPerTarget, samplingSeed, outputColumnName, targetColumnName, inTrainingRangeColumnName);

    /// <summary>A copy of this transformer (its own prior copy) filling each grid in <paramref name="rounds"/> passes.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rounds"/> below 1.</exception>
    public CodePriorTransformer WithRounds(int rounds) =>
        WithPrior(rounds, SamplesPerTarget, SamplingSeed, OutputColumnName, TargetColumnName, InTrainingRangeColumnName);

    /// <summary>A copy with its own copy of the prior (the codebook is shared: it is never written to).</summary>
    private CodePriorTransformer WithPrior(int rounds, int samples, long seed, string output, string target, string range) =>
        new(Host, ModelBytes.Copy(_prior.Save, reader => MaskedCodePrior.Load(reader, Device)), _codebook, CodeDimension, rounds, output, target, range,
            samples, seed, Device, Stack) { HeldOut = HeldOut };

    /// <summary>Fills grids for draws first..first+count-1 of one target and writes their codebook vectors.</summary>
    private sealed class PriorDraws(CodePriorTransformer owner, float target, long rowSeed, bool inTrainingRange) : LatentDraws
    {
        public override int LatentDimension => owner.LatentDimension;

        public override bool InTrainingRange => inTrainingRange;

        public override void Draw(long first, int count, Span<float> latents)
        {
            int l = LatentDimension;
            if (latents.Length != (long)count * l) throw new ArgumentException($"Room for {count} latents of {l} values is needed; got {latents.Length}.", nameof(latents));
            for (int start = 0; start < count; start += GridsPerCall)
            {
                int n = Math.Min(GridsPerCall, count - start);
                var streams = new long[n];
                for (int i = 0; i < n; i++) streams[i] = DrawStream(rowSeed, first + start + i);
                owner.Fill(Enumerable.Repeat(target, n).ToArray(), streams, latents.Slice(start * l, n * l));
            }
        }
    }

    /// <summary>One grid per label from its stream, written as codebook vectors [n, D, G, G] into <paramref name="latents"/>.</summary>
    private void Fill(float[] labels, long[] streams, Span<float> latents)
    {
        int g = _prior.Options.GridSize, d = CodeDimension, n = labels.Length;
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var codes = _prior.Sample(labels, streams, Rounds).cpu().contiguous().data<long>().ToArray();
        // Lookup in plain arrays: latent[b, c, cell] = codebook[code(b, cell), c], the VQ-VAE's [D, G, G] layout.
        int cells = g * g;
        for (int b = 0; b < n; b++)
            for (int cell = 0; cell < cells; cell++)
            {
                int code = (int)codes[b * cells + cell];
                for (int c = 0; c < d; c++) latents[b * d * cells + c * cells + cell] = _codebook[code * d + c];
            }
    }

    /// <summary>
    /// A sampler drawing from a copy of <paramref name="prior"/> through <paramref name="decoder"/>'s codebook, with the
    /// columns, draws per target, seed, device and optical stack of <paramref name="like"/> (the sampler it stands in for).
    /// </summary>
    /// <exception cref="ArgumentException">The prior was trained on another codebook size or latent grid than the decoder's VQ-VAE.</exception>
    internal static CodePriorTransformer For(IHostEnvironment env, MaskedCodePrior prior, MicrostructureDecodeTransformer decoder,
        LatentSamplerTransformer like, int rounds = MaskedCodePrior.DefaultRounds)
    {
        ArgumentNullException.ThrowIfNull(prior);
        ArgumentNullException.ThrowIfNull(decoder);
        ArgumentNullException.ThrowIfNull(like);
        var vqVae = decoder.VqVae;
        if (prior.Options.CodebookSize != vqVae.Quantizer.CodebookSize || prior.Options.GridSize != vqVae.Options.LatentGridSize)
            throw new ArgumentException(
                $"The code prior draws {prior.Options.GridSize} x {prior.Options.GridSize} grids of {prior.Options.CodebookSize} codes, but the model's VQ-VAE has a "
                + $"{vqVae.Options.LatentGridSize} x {vqVae.Options.LatentGridSize} grid of {vqVae.Quantizer.CodebookSize} codes: train the prior on this model ('train prior --model').",
                nameof(prior));
        var codebook = Values(vqVae.Quantizer.Codebook);
        var copy = ModelBytes.Copy(prior.Save, reader => MaskedCodePrior.Load(reader, like.Device));
        return new CodePriorTransformer(env, copy, codebook, vqVae.Quantizer.CodeDimension, rounds, like.OutputColumnName, like.TargetColumnName,
            like.InTrainingRangeColumnName, like.SamplesPerTarget, like.SamplingSeed, like.Device, like.Stack);
    }

    /// <summary>The last <see cref="CodePriorTransformer"/> in <paramref name="model"/> (itself or inside a chain), or null.</summary>
    public static new CodePriorTransformer? FindIn(ITransformer model) => TransformerChains.FindLast<CodePriorTransformer>(model);

    private static int Checked(MaskedCodePrior prior, float[] codebook, int codeDimension, int rounds)
    {
        ArgumentNullException.ThrowIfNull(prior);
        ArgumentNullException.ThrowIfNull(codebook);
        ArgumentOutOfRangeException.ThrowIfLessThan(rounds, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(codeDimension, 1);
        if (codebook.Length != (long)prior.Options.CodebookSize * codeDimension)
            throw new ArgumentException($"The codebook holds {codebook.Length} values; the prior's {prior.Options.CodebookSize} codes of {codeDimension} need {(long)prior.Options.CodebookSize * codeDimension}.", nameof(codebook));
        return checked(codeDimension * prior.Options.Cells);
    }

    // *** Binary format (options block) ***
    // The sampler's shared start (LatentSamplerTransformer: N, seed, range column, device, stack JSON), then:
    // int:    rounds per grid
    // int:    code dimension D
    // int:    codebook size K
    // bool:   held-out evaluation present (absent in the first zips: none); then int grids, double cross-entropy, double without the label, double uniform
    // Weights: K * D floats (the codebook, row-major), then MaskedCodePrior.Save (options JSON header and weights).
    private protected override void SaveOptions(BinaryWriter writer)
    {
        SaveSamplingOptions(writer);
        writer.Write(Rounds);
        writer.Write(CodeDimension);
        writer.Write(_prior.Options.CodebookSize);
        writer.Write(HeldOut is not null);
        if (HeldOut is null) return;
        writer.Write(HeldOut.Grids);
        writer.Write(HeldOut.CrossEntropy);
        writer.Write(HeldOut.CrossEntropyWithoutLabel);
        writer.Write(HeldOut.Uniform);
    }

    private protected override void SaveWeights(BinaryWriter writer)
    {
        foreach (var value in _codebook) writer.Write(value);
        _prior.Save(writer);
    }

    private protected override void DisposeModel() => _prior.Dispose();

    // Factory method for SignatureLoadModel.
    private static CodePriorTransformer Create(IHostEnvironment env, ModelLoadContext ctx)
    {
        var saved = TorchModelFormat.Read(env, ctx, VersionInfo, Component);
        var (sampling, rounds, dimension, size, heldOut) = saved.ReadOptions(reader =>
        {
            var common = ReadSamplingOptions(reader);
            int r = reader.ReadInt32();
            int d = reader.ReadInt32();
            int k = reader.ReadInt32();
            if (k < 1 || k > 1 << 20) throw new FormatException($"codebook size {k} is out of range");
            // Zips written before the held-out result was kept end here.
            CodePriorHeldOutEvaluation? evaluation = reader.BaseStream.Position < reader.BaseStream.Length && reader.ReadBoolean()
                ? new CodePriorHeldOutEvaluation(reader.ReadInt32(), reader.ReadDouble(), reader.ReadDouble(), reader.ReadDouble())
                : null;
            if (r < 1) throw new FormatException($"rounds per grid {r} is below 1");
            if (d < 1 || d > 1 << 16) throw new FormatException($"code dimension {d} is out of range");
            return (common, r, d, k, evaluation);
        });
        var stack = sampling.Stack(Component);
        int samples = sampling.SamplesPerTarget;
        MaskedCodePrior? prior = null;
        float[]? codebook = null;
        saved.LoadWeights(reader =>
        {
            codebook = new float[(long)size * dimension];
            for (long i = 0; i < codebook.Length; i++) codebook[i] = reader.ReadSingle();
            prior = MaskedCodePrior.Load(reader, sampling.LoadDevice);
            if (prior.Options.CodebookSize != size)
                throw new FormatException($"the prior draws from {prior.Options.CodebookSize} codes but the saved codebook holds {size}");
        });
        if (saved.InputType != NumberDataViewType.Single || !TorchColumnType.Accepts(LatentsType(samples, dimension * prior!.Options.Cells), saved.OutputType))
        {
            prior!.Dispose();
            throw new TorchModelFormatException($"{Component}: the options block (N={samples}) does not match the saved model or its columns; the model entry is corrupted.");
        }
        return new CodePriorTransformer(env, prior, codebook!, dimension, rounds, saved.OutputColumnName, saved.InputColumnName,
            sampling.InTrainingRangeColumnName, samples, sampling.SamplingSeed, sampling.LoadDevice, stack) { HeldOut = heldOut };
    }

    // Factory method for SignatureLoadRowMapper.
    private static IRowMapper Create(IHostEnvironment env, ModelLoadContext ctx, DataViewSchema inputSchema)
        => Create(env, ctx).MakeRowMapper(inputSchema);
}
