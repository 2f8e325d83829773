using MlNetInverse.Models.Devices;
using MlNetInverse.Models.Persistence;
using MlNetInverse.Models.Training;
using MlNetInverse.Physics.Randomness;
using MlNetInverse.Physics.Runtime;
using MlNetInverse.Physics.Storage;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace MlNetInverse.Models.CodePrior;

/// <summary>
/// A masked prior over the VQ-VAE's code indices (MaskGIT-style, Chang et al. 2022), conditioned on absorption: given a
/// G x G grid in which some cells hold a code and the rest the mask token K, it predicts a distribution over the K codes
/// at every cell. Generation fills an empty grid a few cells at a time in random order (<see cref="Sample"/>), so every
/// design is a grid of real codes that sit together the way the training data's codes do, where the MDN draws each
/// latent value from a Gaussian and snaps it.
/// </summary>
/// <remarks>
/// Cells are embedded by their code only; position enters solely through a learned attention bias per head and per
/// offset on the torus (<see cref="TorusAttentionBlock"/>), so the prior is exactly equivariant to circular shifts of
/// the periodic unit cell. The absorption is normalised, embedded by a small MLP, added to every cell and fed to each
/// block's FiLM; NaN stands for "no label" (a learned embedding), which training uses for label dropout. The label
/// normalisation and training range are buffers, saved with the weights.
/// </remarks>
public sealed class MaskedCodePrior : nn.Module<Tensor, Tensor, Tensor>
{
    /// <summary>Kind name written in the saved header.</summary>
    public const string Kind = nameof(MaskedCodePrior);

    /// <summary>Version of the saved format (see <see cref="ModelStream"/>).</summary>
    public const int FormatVersion = 1;

    /// <summary>Rounds <see cref="Sample"/> fills a grid in unless told.</summary>
    public const int DefaultRounds = 16;

    [ComponentName(Name = "tokens")] private readonly Embedding _tokens;
    [ComponentName(Name = "label")] private readonly Sequential _label;
    [ComponentName(Name = "unlabelled")] private readonly Parameter _unlabelled;
    [ComponentName(Name = "blocks")] private readonly ModuleList<TorusAttentionBlock> _blocks;
    [ComponentName(Name = "norm")] private readonly LayerNorm _norm;
    [ComponentName(Name = "head")] private readonly Linear _head;
    [ComponentName(Name = "offsets")] private readonly Tensor _offsets;
    [ComponentName(Name = "label_mean")] private readonly Tensor _labelMean;
    [ComponentName(Name = "label_std")] private readonly Tensor _labelStd;
    [ComponentName(Name = "label_range")] private readonly Tensor _labelRange;

    /// <summary>Creates a prior with weights drawn from seed 0.</summary>
    public MaskedCodePrior(CodePriorOptions options) : this(options, seed: 0)
    {
    }

    /// <summary>
    /// Creates a prior whose weights are drawn from <paramref name="seed"/>, with identity label normalisation and an
    /// unbounded training range (the trainer sets both). Build models outside any dispose scope.
    /// </summary>
    /// <exception cref="ArgumentException">An option is invalid, or K or G is still 0.</exception>
    public MaskedCodePrior(CodePriorOptions options, long seed) : base(nameof(MaskedCodePrior))
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ValidateForModel();
        Options = options;
        int w = options.Width, n = options.Cells;
        _tokens = nn.Embedding(options.CodebookSize + 1, w);
        _label = nn.Sequential(("0", nn.Linear(1, w)), ("1", nn.SiLU()), ("2", nn.Linear(w, w)));
        _unlabelled = new Parameter(zeros(w));
        _blocks = new ModuleList<TorusAttentionBlock>(Enumerable.Range(0, options.Layers).Select(_ => new TorusAttentionBlock(w, options.Heads, n)).ToArray());
        _norm = nn.LayerNorm(w);
        _head = nn.Linear(w, options.CodebookSize);
        _offsets = tensor(TorusOffsets(options.GridSize));
        _labelMean = zeros(1);
        _labelStd = ones(1);
        _labelRange = tensor(new[] { double.NegativeInfinity, double.PositiveInfinity });
        RegisterComponents();
        ParameterInitializer.Initialize(this, seed);
        foreach (var block in _blocks) block.ZeroFilm();
        eval();
    }

    /// <summary>The options the prior was built with.</summary>
    public CodePriorOptions Options { get; }

    /// <summary>The index standing for a masked cell (K).</summary>
    public int MaskToken => Options.CodebookSize;

    /// <summary>The device the weights live on.</summary>
    public Device Device => _labelStd.device;

    /// <summary>Smallest training absorption (negative infinity before training).</summary>
    public double TrainingAbsorptionMin => Range()[0];

    /// <summary>Largest training absorption (positive infinity before training).</summary>
    public double TrainingAbsorptionMax => Range()[1];

    /// <summary>
    /// The offset on the torus from cell i to cell j of a G x G grid, for every pair (i, j) in row-major order:
    /// ((yj - yi) mod G) * G + (xj - xi) mod G.
    /// </summary>
    public static long[] TorusOffsets(int grid)
    {
        int n = grid * grid;
        var offsets = new long[(long)n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                int dy = ((j / grid - i / grid) % grid + grid) % grid, dx = ((j % grid - i % grid) % grid + grid) % grid;
                offsets[(long)i * n + j] = dy * grid + dx;
            }
        return offsets;
    }

    /// <summary>
    /// Logits [B, N, K] over the codes of every cell, given <paramref name="codes"/> [B, N] (int64, in [0, K], K = masked)
    /// and the raw absorption <paramref name="absorption"/> [B] (float32; NaN = unlabelled).
    /// </summary>
    public override Tensor forward(Tensor codes, Tensor absorption)
    {
        using var scope = NewDisposeScope();
        long b = codes.shape[0];
        var unlabelled = absorption.isnan().unsqueeze(1);
        // NaN must not reach the label MLP even where it is replaced: its gradient would be NaN x 0.
        var normalised = ((absorption.nan_to_num(0) - _labelMean) / _labelStd).to_type(ScalarType.Float32).unsqueeze(1);
        var condition = where(unlabelled, _unlabelled.expand(b, -1), _label.call(normalised));
        var x = _tokens.call(codes).Plus(condition.unsqueeze(1));
        var offsets = _offsets;
        foreach (var block in _blocks) x = block.call(x, offsets, condition);
        return _head.call(_norm.call(x)).MoveToOuterDisposeScope();
    }

    /// <summary>Sets the label normalisation and training range (the trainer's job).</summary>
    internal void SetLabelScale(double mean, double std, double min, double max)
    {
        using var noGrad = no_grad();
        _labelMean.fill_(HeldScalar.Of(mean));
        _labelStd.fill_(HeldScalar.Of(std));
        using var range = tensor(new[] { min, max });
        _labelRange.copy_(range);
    }

    /// <summary>
    /// Code grids [B, N] (int64, in [0, K)) for the absorptions <paramref name="absorption"/> (one grid each; NaN:
    /// unconditioned): all cells start masked and each grid is filled in a random order of its own over
    /// <paramref name="rounds"/> forward passes; after round r the share of cells still masked is cos(pi/2 (r+1)/R), and
    /// the cells of a round take codes drawn from the prior's distribution at that round (divided by
    /// <paramref name="temperature"/>). Grid i's randomness comes from <paramref name="streams"/>[i] alone (its order
    /// and its draws by inverse CDF from SplitMix64 uniforms), so a grid is the same whatever else is in the call.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="streams"/> has another length than <paramref name="absorption"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">Fewer than 1 round, or a temperature that is not positive.</exception>
    public Tensor Sample(float[] absorption, long[] streams, int rounds, double temperature = 1)
    {
        ArgumentNullException.ThrowIfNull(absorption);
        ArgumentNullException.ThrowIfNull(streams);
        if (streams.Length != absorption.Length)
            throw new ArgumentException($"Give one stream per grid: {absorption.Length} absorptions but {streams.Length} streams.", nameof(streams));
        ArgumentOutOfRangeException.ThrowIfLessThan(rounds, 1);
        if (!(temperature > 0)) throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "The sampling temperature must be positive.");
        int n = Options.Cells, k = Options.CodebookSize, b = absorption.Length;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var device = Device;
        var labels = tensor(absorption, device: device);
        var uniforms = tensor(Uniforms(streams, rounds + 1, n), [rounds + 1, b, n]).to(device);
        var codes = full(b, n, HeldScalar.Of((long)MaskToken), dtype: ScalarType.Int64, device: device);
        // Each grid's own random order: rank[c] is when cell c is filled.
        var rank = uniforms[0].argsort(1).argsort(1);
        int filled = 0;
        for (int round = 0; round < rounds && filled < n; round++)
        {
            int next = round == rounds - 1 ? n : Math.Max(filled + 1, n - (int)Math.Floor(n * Math.Cos(Math.PI / 2 * (round + 1) / rounds)));
            var logits = call(codes, labels);
            var cumulative = logits.Times(1 / temperature).softmax(-1).cumsum(-1);
            // Inverse CDF: the first code whose cumulative probability exceeds the cell's uniform (clamped for rounding).
            var drawn = cumulative.le(uniforms[round + 1].unsqueeze(-1)).sum(-1).clamp_max(HeldScalar.Of((long)(k - 1)));
            var now = rank.ge(HeldScalar.Of(filled)).logical_and(rank.lt(HeldScalar.Of(next)));
            codes = where(now, drawn, codes);
            filled = next;
        }
        return codes.MoveToOuterDisposeScope();
    }

    /// <summary>Uniforms in [0, 1) laid out [rows, grids, cells]: grid i's are outputs 1, 2, ... of SplitMix64 from streams[i].</summary>
    private static float[] Uniforms(long[] streams, int rows, int cells)
    {
        int b = streams.Length;
        var values = new float[(long)rows * b * cells];
        for (int i = 0; i < b; i++)
            for (int j = 0; j < rows * cells; j++)
                values[(long)(j / cells) * b * cells + (long)i * cells + j % cells] =
                    (SplitMix64.Next((ulong)streams[i], j + 1) >> 40) * (1f / (1 << 24));
        return values;
    }

    /// <summary>
    /// Multiply-adds to fill one grid in <paramref name="rounds"/> passes, counted from the architecture: per pass and
    /// cell, each block's projections (qkv 3W^2, output W^2, MLP 8W^2) and attention (scores and weighted sum, 2NW),
    /// then the head (WK); per pass and grid, the label MLP (W + W^2) and each block's FiLM (4W^2).
    /// </summary>
    public long MultiplyAddsPerGrid(int rounds)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rounds, 1);
        long w = Options.Width, n = Options.Cells, k = Options.CodebookSize, layers = Options.Layers;
        long perCell = layers * (12 * w * w + 2 * n * w) + w * k;
        long perGrid = w + w * w + layers * 4 * w * w;
        return rounds * (n * perCell + perGrid);
    }

    private double[] Range() => _labelRange.cpu().data<double>().ToArray();

    /// <summary>Writes the header (options as JSON) and the weights; the writer stays open.</summary>
    public void Save(BinaryWriter writer) => ModelStream.Save(this, writer, Kind, FormatVersion, Options);

    /// <summary>Writes the prior to the file <paramref name="path"/> atomically (temp file in the same folder, then rename).</summary>
    public void Save(string path) => AtomicFile.Write(path, Save);

    /// <summary>Writes the prior to <paramref name="stream"/>, which stays open.</summary>
    public void Save(Stream stream) => ModelStream.Save(stream, Save);

    /// <summary>Rebuilds a prior saved by <see cref="Save(BinaryWriter)"/>: built and loaded on the CPU, then moved to <paramref name="device"/>, in eval mode.</summary>
    /// <exception cref="InvalidDataException">Not a saved MaskedCodePrior, an unsupported version, or weights that do not match the options.</exception>
    public static MaskedCodePrior Load(BinaryReader reader, ComputeDevice device = ComputeDevice.Cpu) =>
        ModelStream.Load<MaskedCodePrior, CodePriorOptions>(reader, Kind, FormatVersion, options => new MaskedCodePrior(options), device);

    /// <summary>Reads a prior saved by <see cref="Save(string)"/>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static MaskedCodePrior Load(string path, ComputeDevice device = ComputeDevice.Cpu) =>
        ModelStream.Load(path, stream => Load(stream, device));

    /// <summary>Reads a prior from <paramref name="stream"/>, which stays open.</summary>
    public static MaskedCodePrior Load(Stream stream, ComputeDevice device = ComputeDevice.Cpu) =>
        ModelStream.Load(stream, reader => Load(reader, device));
}
