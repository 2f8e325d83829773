using System.Globalization;
using MlNetInverse.Models.Quantization;

namespace MlNetInverse.Models.VqVae;

/// <summary>
/// Architecture and quantizer settings of a <see cref="VqVaeModel"/>. The encoder has log2(ImageSize / LatentGridSize)
/// stride-2 4x4 convolutions (ReLU after each) and a 1x1 convolution to <see cref="CodeDimension"/> channels; the
/// decoder mirrors it with transposed convolutions and ends in a sigmoid. With the defaults (64 -> 16, 32 hidden
/// channels) this is exactly the architecture of the PyTorch peer benchmark.
/// </summary>
public sealed record VqVaeOptions
{
    /// <summary>Edge length of the square input images in pixels. Default 64; a power of two.</summary>
    public int ImageSize { get; init; } = 64;

    /// <summary>Number of codes K in the codebook. Default 512; at least 2.</summary>
    public int CodebookSize { get; init; } = 512;

    /// <summary>Length D of each code vector (latent channels). Default 16; at least 1.</summary>
    public int CodeDimension { get; init; } = 16;

    /// <summary>
    /// Edge length G of the latent grid in cells. Default 16 (64 -> 16 by two stride-2 convolutions); 8 and 4 add one
    /// and two more. ImageSize / LatentGridSize must be a power of two, at least 4.
    /// </summary>
    public int LatentGridSize { get; init; } = 16;

    /// <summary>Channels of the first convolution (channels); deeper convolutions use twice as many. Default 32.</summary>
    public int HiddenChannels { get; init; } = 32;

    /// <summary>
    /// Encoder/decoder stacks. Default <see cref="VqVaeArchitecture.Peer"/> (models saved before this option existed
    /// read back as Peer); <see cref="VqVaeArchitecture.Periodic"/> gives seamless unit cells at the peer's cost,
    /// <see cref="VqVaeArchitecture.Residual"/> adds residual blocks and costs about 2.5x as much to decode.
    /// </summary>
    public VqVaeArchitecture Architecture { get; init; } = VqVaeArchitecture.Peer;

    /// <summary>How the codebook learns. Default <see cref="QuantizerUpdate.Ema"/>.</summary>
    public QuantizerUpdate Update { get; init; } = QuantizerUpdate.Ema;

    /// <summary>Decay of the EMA codebook averages per training step (dimensionless, in (0, 1)). Default 0.99.</summary>
    public double EmaDecay { get; init; } = 0.99;

    /// <summary>Laplace smoothing added to each EMA code count (counts of grid vectors, &gt; 0). Default 1e-5.</summary>
    public double LaplaceEpsilon { get; init; } = 1e-5;

    /// <summary>Weight beta_c of the commitment loss beta_c * ||z_e - sg[e]||^2 (dimensionless, &gt;= 0). Default 0.25.</summary>
    public double CommitmentCost { get; init; } = 0.25;

    /// <summary>
    /// A code not chosen by any grid vector for this many consecutive training steps (updates) is restarted on a random
    /// encoder output of the current batch. Default 100 steps; 0 turns restarts off.
    /// </summary>
    public int DeadCodeThreshold { get; init; } = 100;

    /// <summary>Number of stride-2 convolutions: log2(ImageSize / LatentGridSize).</summary>
    public int DownsamplingSteps => (int)Math.Round(Math.Log2((double)ImageSize / LatentGridSize));

    /// <summary>
    /// The architecture of the PyTorch peer benchmark (pytorch_vqvae_bench.py): 64x64 -> 16x16xD, 32/64 hidden channels,
    /// codebook trained by the codebook loss, beta_c = 0.25, no dead-code restarts.
    /// </summary>
    public static VqVaeOptions PeerBenchmark(int codebookSize, int codeDimension) => new()
    {
        ImageSize = 64,
        CodebookSize = codebookSize,
        CodeDimension = codeDimension,
        LatentGridSize = 16,
        HiddenChannels = 32,
        Update = QuantizerUpdate.CodebookLoss,
        CommitmentCost = 0.25,
        DeadCodeThreshold = 0,
    };

    /// <summary>
    /// Learnable parameters, bounded above from the options: the codebook (K x D) and, per side, at most
    /// DownsamplingSteps + 4 convolutions of 2H x 2H channels with 4 x 4 kernels (the widest layer of any architecture).
    /// </summary>
    public double ParameterCountBound
    {
        get
        {
            double wide = 2.0 * HiddenChannels;
            return (double)CodebookSize * CodeDimension + 2 * (DownsamplingSteps + 4) * wide * wide * 16;
        }
    }

    /// <summary>
    /// Peak bytes of training at <paramref name="batchSize"/> images per step, estimated before anything is allocated:
    /// the convolutions' weights, gradients and two Adam moments; the codebook as a parameter (the same four copies) or,
    /// with EMA updates, its weights, EMA sums and cluster sizes; and the quantizer's distances and one-hot codes
    /// (batch x G^2 x K each), which is what an absurd codebook_size allocates first.
    /// </summary>
    public double EstimateTrainingBytes(int batchSize)
    {
        double codebook = (double)CodebookSize * CodeDimension;
        double convolutions = ParameterCountBound - codebook;
        double codebookCopies = Update == QuantizerUpdate.Ema ? 2 * codebook + CodebookSize : 4 * codebook;
        double quantizer = 2.0 * Math.Max(1, batchSize) * LatentGridSize * LatentGridSize * CodebookSize;
        return 0.3e9 + 4.0 * (4 * convolutions + codebookCopies + quantizer);
    }

    /// <summary>Checks every option.</summary>
    /// <exception cref="ArgumentException">An option is out of range; the message names it, its value and what is allowed.</exception>
    public void Validate()
    {
        if (ImageSize < 4 || !IsPowerOfTwo(ImageSize))
            throw Bad(nameof(ImageSize), ImageSize, "a power of two, at least 4");
        if (CodebookSize < 2) throw Bad(nameof(CodebookSize), CodebookSize, "at least 2");
        if (CodeDimension < 1) throw Bad(nameof(CodeDimension), CodeDimension, "at least 1");
        if (LatentGridSize < 1 || ImageSize % LatentGridSize != 0 || !IsPowerOfTwo(ImageSize / LatentGridSize) || ImageSize / LatentGridSize < 4)
            throw Bad(nameof(LatentGridSize), LatentGridSize, $"ImageSize ({ImageSize}) divided by a power of two >= 4, e.g. {ImageSize / 4}, {ImageSize / 8} or {ImageSize / 16}");
        if (HiddenChannels < 1) throw Bad(nameof(HiddenChannels), HiddenChannels, "at least 1");
        if (!Enum.IsDefined(Update)) throw Bad(nameof(Update), Update, "Ema or CodebookLoss");
        if (!Enum.IsDefined(Architecture)) throw Bad(nameof(Architecture), Architecture, "Peer, Residual or Periodic");
        if (!(EmaDecay > 0 && EmaDecay < 1)) throw Bad(nameof(EmaDecay), EmaDecay, "in (0, 1)");
        if (!(LaplaceEpsilon > 0 && double.IsFinite(LaplaceEpsilon))) throw Bad(nameof(LaplaceEpsilon), LaplaceEpsilon, "a finite number > 0");
        if (!(CommitmentCost >= 0 && double.IsFinite(CommitmentCost))) throw Bad(nameof(CommitmentCost), CommitmentCost, "a finite number >= 0");
        if (DeadCodeThreshold < 0) throw Bad(nameof(DeadCodeThreshold), DeadCodeThreshold, "0 (off) or a number of steps >= 1");
    }

    private static bool IsPowerOfTwo(int value) => value > 0 && (value & (value - 1)) == 0;

    private static ArgumentException Bad(string option, object value, string expected) =>
        new($"VqVaeOptions.{option} must be {expected}; got {Convert.ToString(value, CultureInfo.InvariantCulture)}.", option);
}
