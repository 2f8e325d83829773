using System.Diagnostics;
using MlNetInverse.Models.Devices;
using MlNetInverse.Models.Training;
using MlNetInverse.Physics.Randomness;
using MlNetInverse.Physics.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetInverse.Models.CodePrior;

/// <summary>
/// Fits a <see cref="MaskedCodePrior"/> to code grids and their absorption labels as MaskGIT trains: each step masks a
/// share cos(pi/2 u) of every grid's cells (u uniform, at least one cell) and minimises the cross-entropy of the true
/// codes at the masked cells; a share of grids goes without its label (label dropout). AdamW with linear warm-up and
/// cosine decay. A held-out share of the grids, never trained on, gives the held-out loss with and without labels.
/// </summary>
public sealed class CodePriorTrainer
{
    private const int EvaluationBatch = 256;
    private const long MaskStream = 17;
    private const long HeldOutMaskStream = 18;

    private readonly CodePriorOptions _modelOptions;
    private readonly CodePriorTrainingOptions _options;

    /// <exception cref="ArgumentException">An option is invalid.</exception>
    public CodePriorTrainer(CodePriorOptions modelOptions, CodePriorTrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(modelOptions);
        ArgumentNullException.ThrowIfNull(options);
        modelOptions.ValidateForModel();
        options.Validate();
        _modelOptions = modelOptions;
        _options = options;
    }

    /// <summary>
    /// Fits a prior to <paramref name="codes"/> (N = G x G indices in [0, K) per grid, row-major) labelled with
    /// <paramref name="absorption"/> (one finite value per grid).
    /// </summary>
    /// <exception cref="ArgumentException">Codes that are not whole grids of the options' G, an index outside [0, K), a label that is not finite, or too few grids to hold some out.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired (between steps).</exception>
    public CodePriorTrainingResult Train(int[] codes, float[] absorption, IProgress<CodePriorProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(codes);
        ArgumentNullException.ThrowIfNull(absorption);
        int n = _modelOptions.Cells, k = _modelOptions.CodebookSize, grids = absorption.Length;
        if ((long)grids * n != codes.Length)
            throw new ArgumentException($"{codes.Length} code indices are not {grids} grids of {_modelOptions.GridSize} x {_modelOptions.GridSize} (one per absorption label).", nameof(codes));
        int bad = Array.FindIndex(codes, c => c < 0 || c >= k);
        if (bad >= 0) throw new ArgumentException($"Code index {codes[bad]} (grid {bad / n}, cell {bad % n}) lies outside [0, {k}): the codes are not from a codebook of {k}.", nameof(codes));
        int badLabel = Array.FindIndex(absorption, a => !float.IsFinite(a));
        if (badLabel >= 0) throw new ArgumentException($"Absorption label {badLabel} is {absorption[badLabel]}; every label must be finite.", nameof(absorption));
        int heldOut = (int)Math.Round(grids * _options.HeldOutFraction);
        if (heldOut < 1 || grids - heldOut < 1)
            throw new ArgumentException($"{grids} grids are too few to hold out {_options.HeldOutFraction:0.##} of them and train on the rest.", nameof(absorption));

        var watch = Stopwatch.StartNew();
        using var threads = TorchThreadScope.UnlessZero(_options.Threads);
        var device = DeviceResolver.Resolve(_options.Device, out _);
        var order = new SeededRandom(_options.Seed, SeededRandom.Purpose.HeldOutSplit).Permutation(grids);
        var heldOutRows = order[..heldOut];
        var trainingRows = order[heldOut..];
        var trainingLabels = trainingRows.Select(r => (double)absorption[r]).ToArray();
        double mean = trainingLabels.Average(), std = Math.Sqrt(trainingLabels.Select(a => (a - mean) * (a - mean)).Average());

        var prior = new MaskedCodePrior(_modelOptions, _options.Seed);
        try
        {
            prior.SetLabelScale(mean, std > 0 ? std : 1, trainingLabels.Min(), trainingLabels.Max());
            prior.to(device);
            var (trainCodes, trainLabels) = Gather(codes, absorption, trainingRows, n);
            var (testCodes, testLabels) = Gather(codes, absorption, heldOutRows, n);
            double trainingLoss = Fit(prior, trainCodes, trainLabels, device, heldOut: (testCodes, testLabels), progress, watch, cancellationToken);
            prior.eval();
            double labelled = HeldOutLoss(prior, testCodes, testLabels, device, labelled: true);
            double unlabelled = HeldOutLoss(prior, testCodes, testLabels, device, labelled: false);
            return new CodePriorTrainingResult(prior, trainingLoss, labelled, unlabelled, Math.Log(k), trainingRows.Length, heldOut, watch.Elapsed);
        }
        catch
        {
            prior.Dispose();
            throw;
        }
    }

    private static (long[] Codes, float[] Labels) Gather(int[] codes, float[] absorption, int[] rows, int n)
    {
        var gathered = new long[(long)rows.Length * n];
        var labels = new float[rows.Length];
        for (int r = 0; r < rows.Length; r++)
        {
            for (int c = 0; c < n; c++) gathered[(long)r * n + c] = codes[(long)rows[r] * n + c];
            labels[r] = absorption[rows[r]];
        }
        return (gathered, labels);
    }

    private double Fit(MaskedCodePrior prior, long[] codes, float[] labels, Device device, (long[] Codes, float[] Labels) heldOut,
        IProgress<CodePriorProgress>? progress, Stopwatch watch, CancellationToken cancellationToken)
    {
        int n = _modelOptions.Cells, grids = labels.Length, batch = Math.Min(_options.BatchSize, grids);
        using var allCodes = tensor(codes, [grids, n]);
        using var allLabels = tensor(labels);
        using var generator = new Generator(0);
        generator.manual_seed(MixSeed(_options.Seed, MaskStream));
        // AdamW as PyTorch steps it (decay every weight by 1 - lr x decay, then Adam's update), on the Adam whose
        // scalars are held through the native calls.
        var parameters = prior.parameters().ToArray();
        using var optimizer = new HeldScalarAdam(parameters, _options.LearningRate);
        var shuffle = new SeededRandom(_options.Seed, SeededRandom.Purpose.Shuffle);
        var epoch = shuffle.Permutation(grids);
        int position = 0;
        double sum = 0;
        int counted = 0;
        double lastMean = double.NaN;
        prior.train();
        for (int step = 1; step <= _options.Steps; step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var rows = new long[batch];
            for (int i = 0; i < batch; i++)
            {
                if (position == grids) { epoch = shuffle.Permutation(grids); position = 0; }
                rows[i] = epoch[position++];
            }
            double learningRate = LearningRateAt(step);
            foreach (var group in optimizer.ParamGroups) group.LearningRate = learningRate;
            using (var scope = NewDisposeScope())
            {
                using var index = tensor(rows);
                var target = allCodes.index_select(0, index).to(device);
                var label = allLabels.index_select(0, index);
                var dropped = rand(batch, generator: generator).lt(HeldScalar.Of(_options.LabelDropout));
                label = label.masked_fill(dropped, HeldScalar.Of(double.NaN)).to(device);
                var masked = Mask(batch, n, generator).to(device);
                var input = target.masked_fill(masked, HeldScalar.Of((long)prior.MaskToken));
                var loss = MaskedCrossEntropy(prior.call(input, label), target, masked);
                optimizer.zero_grad();
                loss.Backpropagate();
                if (_options.WeightDecay > 0)
                {
                    using var keep = (1 - learningRate * _options.WeightDecay).ToScalar();
                    using (no_grad())
                        foreach (var parameter in parameters) parameter.mul_(keep);
                }
                optimizer.step();
                sum += loss.item<float>();
                counted++;
            }
            if (step % _options.ReportEvery == 0 || step == _options.Steps)
            {
                lastMean = sum / counted;
                double held = double.NaN;
                if (step % (4 * _options.ReportEvery) == 0 || step == _options.Steps)
                {
                    prior.eval();
                    held = HeldOutLoss(prior, heldOut.Codes, heldOut.Labels, device, labelled: true);
                    prior.train();
                }
                progress?.Report(new CodePriorProgress(step, _options.Steps, lastMean, held, watch.Elapsed));
                sum = 0;
                counted = 0;
            }
        }
        return lastMean;
    }

    /// <summary>Warm-up to the peak, then a cosine down to 0 at the last step.</summary>
    internal double LearningRateAt(int step)
    {
        int warmup = Math.Min(_options.WarmupSteps, _options.Steps);
        if (step <= warmup) return _options.LearningRate * step / warmup;
        double progress = (double)(step - warmup) / Math.Max(1, _options.Steps - warmup);
        return _options.LearningRate * 0.5 * (1 + Math.Cos(Math.PI * progress));
    }

    /// <summary>MaskGIT's masks [B, N] (bool): a share cos(pi/2 u) of each grid's cells, at least one, chosen at random.</summary>
    internal static Tensor Mask(long grids, int cells, Generator generator)
    {
        using var scope = NewDisposeScope();
        var share = rand(grids, generator: generator).Times(Math.PI / 2).cos();
        var count = share.Times(cells).ceil().clamp_min(HeldScalar.Of(1.0)).unsqueeze(1);
        var rank = rand(grids, cells, generator: generator).argsort(1).argsort(1);
        return rank.lt(count).MoveToOuterDisposeScope();
    }

    /// <summary>Mean cross-entropy of the true codes at the masked cells (nats per masked cell).</summary>
    internal static Tensor MaskedCrossEntropy(Tensor logits, Tensor target, Tensor masked)
    {
        using var scope = NewDisposeScope();
        long k = logits.shape[^1];
        var perCell = nn.functional.cross_entropy(logits.reshape(-1, k), target.reshape(-1), reduction: nn.Reduction.None);
        var weights = masked.reshape(-1).to_type(perCell.dtype);
        return ((perCell * weights).sum() / weights.sum()).MoveToOuterDisposeScope();
    }

    /// <summary>The held-out cross-entropy with masks fixed by the seed, so runs and reports compare.</summary>
    private double HeldOutLoss(MaskedCodePrior prior, long[] codes, float[] labels, Device device, bool labelled)
    {
        int n = _modelOptions.Cells, grids = labels.Length;
        using var noGrad = no_grad();
        using var generator = new Generator(0);
        generator.manual_seed(MixSeed(_options.Seed, HeldOutMaskStream));
        double total = 0, cells = 0;
        for (int start = 0; start < grids; start += EvaluationBatch)
        {
            int count = Math.Min(EvaluationBatch, grids - start);
            using var scope = NewDisposeScope();
            var target = tensor(codes.AsSpan(start * n, count * n).ToArray(), [count, n]).to(device);
            var label = labelled ? tensor(labels.AsSpan(start, count).ToArray()) : full(count, HeldScalar.Of(double.NaN), dtype: ScalarType.Float32);
            var masked = Mask(count, n, generator).to(device);
            var input = target.masked_fill(masked, HeldScalar.Of((long)prior.MaskToken));
            var loss = MaskedCrossEntropy(prior.call(input, label.to(device)), target, masked);
            double weight = masked.sum().item<long>();
            total += loss.item<float>() * weight;
            cells += weight;
        }
        return total / cells;
    }

    private static long MixSeed(long seed, long stream) => (long)(SeededRandom.FromState(unchecked((ulong)seed * SplitMix64.Gamma + (ulong)stream)).NextUInt64() >> 1);
}
