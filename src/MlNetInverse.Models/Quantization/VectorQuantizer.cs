using MlNetInverse.Models.Training;
using MlNetInverse.Models.VqVae;
using MlNetInverse.Physics.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace MlNetInverse.Models.Quantization;

/// <summary>
/// Vector quantizer of a VQ-VAE: maps every grid vector of z_e [B, D, G, G] to its nearest code of a K x D codebook and
/// passes the gradient straight through to z_e. With <see cref="QuantizerUpdate.Ema"/> the codebook follows exponential
/// moving averages of code counts and assigned vectors (Laplace-smoothed counts); with
/// <see cref="QuantizerUpdate.CodebookLoss"/> it is a parameter trained by the codebook loss. In training mode only, codes
/// unused for <see cref="VqVaeOptions.DeadCodeThreshold"/> steps restart on random encoder outputs of the batch.
/// </summary>
/// <remarks>
/// State (all in the state_dict, so a saved model resumes exactly): <c>codebook</c> [K, D] (parameter or buffer),
/// <c>ema_cluster_size</c> [K] and <c>ema_embed_sum</c> [K, D] (EMA averages, started at 1 and at the codebook, so an
/// unused code stays put until its decayed count nears LaplaceEpsilon instead of collapsing at once; dead-code restarts
/// catch it), <c>unused_steps</c> [K], <c>update_count</c> and <c>restart_seed</c> (key the seeded restart draws).
/// </remarks>
public sealed class VectorQuantizer : nn.Module<Tensor, QuantizerOutput>
{
    [ComponentName(Name = "codebook")] private readonly Tensor _codebook;
    [ComponentName(Name = "ema_cluster_size")] private readonly Tensor _emaClusterSize;
    [ComponentName(Name = "ema_embed_sum")] private readonly Tensor _emaEmbedSum;
    [ComponentName(Name = "unused_steps")] private readonly Tensor _unusedSteps;
    [ComponentName(Name = "update_count")] private readonly Tensor _updateCount;
    [ComponentName(Name = "restart_seed")] private readonly Tensor _restartSeed;

    /// <summary>Grid vectors whose code distances are computed at once on the CPU (2,048 x 512 floats: 4 MB, in cache).</summary>
    internal const long RowsPerBlock = 2048;

    private readonly int _codebookSize;
    private readonly int _codeDimension;
    private readonly QuantizerUpdate _update;
    private readonly double _emaDecay;
    private readonly double _laplaceEpsilon;
    private readonly double _commitmentCost;
    private readonly int _deadCodeThreshold;

    /// <summary>Creates a quantizer with the codebook settings of <paramref name="options"/>, codebook uniform in +-1/K (seed 0).</summary>
    public VectorQuantizer(VqVaeOptions options) : base(nameof(VectorQuantizer))
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _codebookSize = options.CodebookSize;
        _codeDimension = options.CodeDimension;
        _update = options.Update;
        _emaDecay = options.EmaDecay;
        _laplaceEpsilon = options.LaplaceEpsilon;
        _commitmentCost = options.CommitmentCost;
        _deadCodeThreshold = options.DeadCodeThreshold;

        var codebook = zeros(_codebookSize, _codeDimension);
        _codebook = _update == QuantizerUpdate.CodebookLoss ? new Parameter(codebook) : codebook;
        _emaClusterSize = ones(_codebookSize);
        _emaEmbedSum = zeros(_codebookSize, _codeDimension);
        _unusedSteps = zeros(_codebookSize, dtype: ScalarType.Int64);
        _updateCount = zeros(1, dtype: ScalarType.Int64);
        _restartSeed = zeros(1, dtype: ScalarType.Int64);
        RegisterComponents();
        Initialize(0);
    }

    /// <summary>The codebook [K, D] (live: changes as the quantizer trains).</summary>
    public Tensor Codebook => _codebook;

    /// <summary>Number of codes K.</summary>
    public int CodebookSize => _codebookSize;

    /// <summary>Code length D.</summary>
    public int CodeDimension => _codeDimension;

    /// <summary>Training steps (forward passes in training mode) seen so far.</summary>
    public long UpdateCount => _updateCount.cpu().item<long>();

    /// <summary>
    /// Draws the codebook uniform in +-1/K from <paramref name="seed"/>, resets the EMA state and keys later code restarts
    /// to the same seed.
    /// </summary>
    public void Initialize(long seed)
    {
        using var noGrad = no_grad();
        var values = new SeededRandom(seed, SeededRandom.Purpose.Codebook).Uniform((long)_codebookSize * _codeDimension, 1.0 / _codebookSize);
        using var drawn = tensor(values, [_codebookSize, _codeDimension]);
        _codebook.copy_(drawn);
        _emaClusterSize.fill_(HeldScalar.Of(1.0));
        _emaEmbedSum.copy_(_codebook);
        _unusedSteps.zero_();
        _updateCount.zero_();
        _restartSeed.fill_(HeldScalar.Of(seed));
    }

    /// <summary>Index of the nearest code for every grid vector of <paramref name="latents"/> [B, D, G, G] -> [B, G, G]; no side effects.</summary>
    public Tensor NearestIndices(Tensor latents)
    {
        CheckLatents(latents, nameof(latents));
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        long b = latents.shape[0], g1 = latents.shape[2], g2 = latents.shape[3];
        var flat = Flatten(latents.detach());
        return NearestCodes(flat).view(b, g1, g2).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// <see cref="NearestIndices"/> for decoding draws: on a CPU that <see cref="CodeSnapping"/> supports by it (no [rows, K]
    /// distance matrix; a vector within float rounding of two codes may take the other one), elsewhere the same as it.
    /// </summary>
    internal Tensor NearestIndicesForDecoding(Tensor latents)
    {
        CheckLatents(latents, nameof(latents));
        if (latents.device_type != DeviceType.CPU || latents.dtype != ScalarType.Float32 || !CodeSnapping.Supports(_codebookSize))
            return NearestIndices(latents);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        long b = latents.shape[0], g1 = latents.shape[2], g2 = latents.shape[3];
        return CodeSnapping.Nearest(Flatten(latents.detach()), _codebook.detach()).view(b, g1, g2).MoveToOuterDisposeScope();
    }

    /// <summary>Code vectors for <paramref name="indices"/> [B, G, G] (int64, in [0, K)) as a latent grid [B, D, G, G].</summary>
    public Tensor Lookup(Tensor indices)
    {
        CheckIndices(indices);
        long b = indices.shape[0], g1 = indices.shape[1], g2 = indices.shape[2];
        using var scope = NewDisposeScope();
        return _codebook.index_select(0, indices.reshape(-1)).view(b, g1, g2, _codeDimension)
            .permute(0, 3, 1, 2).contiguous().MoveToOuterDisposeScope();
    }

    /// <summary>Throws unless <paramref name="indices"/> is an int64 tensor [B, G, G] of values in [0, K).</summary>
    internal void CheckIndices(Tensor indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        if (indices.dim() != 3 || indices.dtype != ScalarType.Int64)
            throw new ArgumentException($"Code indices must be an int64 tensor [B, G, G]; got {indices.dtype} {Shape(indices)}.", nameof(indices));
        if (indices.numel() > 0)
        {
            long min = indices.min().cpu().item<long>(), max = indices.max().cpu().item<long>();
            if (min < 0 || max >= _codebookSize)
                throw new ArgumentException($"Code indices must lie in [0, {_codebookSize}); got values from {min} to {max}.", nameof(indices));
        }
    }

    /// <summary>Quantizes <paramref name="input"/> = z_e [B, D, G, G]; in training mode also updates the codebook state.</summary>
    public override QuantizerOutput forward(Tensor input)
    {
        CheckLatents(input, nameof(input));
        long b = input.shape[0], g1 = input.shape[2], g2 = input.shape[3];
        using var scope = NewDisposeScope();

        var flat = Flatten(input);
        Tensor indices;
        using (no_grad()) indices = NearestCodes(flat.detach());

        var quantized = _codebook.index_select(0, indices).view(b, g1, g2, _codeDimension).permute(0, 3, 1, 2).contiguous();
        var codebookLoss = nn.functional.mse_loss(quantized, input.detach());
        if (_update == QuantizerUpdate.Ema) codebookLoss = codebookLoss.detach();
        var commitmentLoss = nn.functional.mse_loss(input, quantized.detach()).mul(HeldScalar.Of(_commitmentCost));
        var straightThrough = input.Plus((quantized - input).detach());

        var counts = indices.bincount(null, _codebookSize);
        var probabilities = counts.to_type(ScalarType.Float32).div(HeldScalar.Of(Math.Max(1, indices.numel())));
        var perplexity = probabilities.mul(probabilities.Plus(HeldScalar.Of(1e-10)).log()).sum().neg().exp();

        if (training)
        {
            using var noGrad = no_grad();
            if (_update == QuantizerUpdate.Ema) UpdateEma(flat.detach(), indices, counts);
            if (_deadCodeThreshold > 0) RestartDeadCodes(flat.detach(), counts);
            _updateCount.PlusInPlace(HeldScalar.Of(1));
        }

        return new QuantizerOutput(
            straightThrough.MoveToOuterDisposeScope(),
            indices.view(b, g1, g2).MoveToOuterDisposeScope(),
            codebookLoss.MoveToOuterDisposeScope(),
            commitmentLoss.MoveToOuterDisposeScope(),
            perplexity.MoveToOuterDisposeScope());
    }

    private void UpdateEma(Tensor flat, Tensor indices, Tensor counts)
    {
        _emaClusterSize.mul_(HeldScalar.Of(_emaDecay)).add_(counts.to_type(ScalarType.Float32), alpha: HeldScalar.Of(1 - _emaDecay));
        var assignedSums = zeros_like(_emaEmbedSum).index_add_(0, indices, flat, HeldScalar.Of(1));
        _emaEmbedSum.mul_(HeldScalar.Of(_emaDecay)).add_(assignedSums, alpha: HeldScalar.Of(1 - _emaDecay));
        // Laplace smoothing keeps every count > 0 (no division by zero for unused codes) while preserving the total.
        var total = _emaClusterSize.sum();
        var smoothed = _emaClusterSize.Plus(HeldScalar.Of(_laplaceEpsilon)).div(total.Plus(HeldScalar.Of(_codebookSize * _laplaceEpsilon))).mul(total);
        _codebook.copy_(_emaEmbedSum.div(smoothed.unsqueeze(1)));
    }

    private void RestartDeadCodes(Tensor flat, Tensor counts)
    {
        _unusedSteps.PlusInPlace(HeldScalar.Of(1)).masked_fill_(counts.gt(HeldScalar.Of(0)), HeldScalar.Of(0));
        var dead = _unusedSteps.ge(HeldScalar.Of(_deadCodeThreshold));
        if (!dead.any().cpu().item<bool>()) return;

        var deadCodes = dead.nonzero().reshape(-1);
        long[] deadList = deadCodes.cpu().data<long>().ToArray();
        long step = _updateCount.cpu().item<long>(), seed = _restartSeed.cpu().item<long>();
        var random = new SeededRandom(seed, SeededRandom.Purpose.CodeRestart, step);
        int rows = (int)flat.shape[0];
        var picks = new long[deadList.Length];
        for (int i = 0; i < picks.Length; i++) picks[i] = random.NextInt(rows);
        var replacements = flat.index_select(0, tensor(picks, device: flat.device));

        _codebook.index_copy_(0, deadCodes, replacements);
        if (_update == QuantizerUpdate.Ema)
        {
            _emaEmbedSum.index_copy_(0, deadCodes, replacements);
            _emaClusterSize.index_fill_(0, deadCodes, HeldScalar.Of(1.0));
        }
        _unusedSteps.index_fill_(0, deadCodes, HeldScalar.Of(0));
    }

    /// <summary>argmin_k ||x - e_k||^2 = argmin_k (||e_k||^2 - 2 x.e_k): ||x||^2 is the same for every k, so it is skipped.</summary>
    private Tensor NearestCodes(Tensor flat)
    {
        var codebook = _codebook.detach();
        var squaredNorms = codebook.pow(HeldScalar.Of(2)).sum(1L).unsqueeze(0);
        var transposed = codebook.t();
        long rows = flat.shape[0];
        // On the CPU the [rows, K] distances of a scoring batch (262,144 x 512 floats for 4,096 images) would go out to
        // memory and back; in blocks of RowsPerBlock they stay in cache. Each row's distances are the same either way.
        if (flat.device_type != DeviceType.CPU || rows <= RowsPerBlock) return Nearest(flat, squaredNorms, transposed);
        var blocks = new List<Tensor>();
        for (long start = 0; start < rows; start += RowsPerBlock)
            blocks.Add(Nearest(flat.narrow(0, start, Math.Min(RowsPerBlock, rows - start)), squaredNorms, transposed));
        return cat(blocks, 0);
    }

    // min's indexes, not argmin: the same first-minimum index, measured 2x faster over [rows, K] on CPU (batch scoring).
    private static Tensor Nearest(Tensor rows, Tensor squaredNorms, Tensor transposed) =>
        torch.addmm(squaredNorms, rows, transposed, beta: 1, alpha: -2).min(1L).indexes;

    private Tensor Flatten(Tensor latents) => latents.permute(0, 2, 3, 1).reshape(-1, _codeDimension);

    private void CheckLatents(Tensor latents, string name)
    {
        ArgumentNullException.ThrowIfNull(latents, name);
        if (latents.dim() != 4 || latents.shape[1] != _codeDimension)
            throw new ArgumentException($"Latents must have shape [B, {_codeDimension}, G, G] (D = {_codeDimension}); got {Shape(latents)}.", name);
        if (!latents.is_floating_point())
            throw new ArgumentException($"Latents must be a floating-point tensor; got {latents.dtype}.", name);
    }

    internal static string Shape(Tensor t) => "[" + string.Join(", ", t.shape) + "]";
}
