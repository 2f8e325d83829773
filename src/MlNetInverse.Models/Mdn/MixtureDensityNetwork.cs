using MlNetInverse.Models.Devices;
using MlNetInverse.Models.Persistence;
using MlNetInverse.Models.Training;
using MlNetInverse.Physics.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace MlNetInverse.Models.Mdn;

/// <summary>
/// The mixture density network of the method (Bishop 1994; paper eq. 6): absorption -> a mixture of K diagonal
/// Gaussians over the VQ-VAE latent vector (L values). The public methods take raw absorption and return raw latents;
/// <see cref="forward"/> is the network itself, in normalised units (see <see cref="MdnNormalization"/>).
/// </summary>
/// <remarks>
/// A tanh MLP (HiddenLayers x HiddenUnits) feeds three heads: log-softmax weights [B, K], means [B, K, L] and standard
/// deviations [B, K, L] = max(ELU(x) + 1 + 1e-6, SigmaFloor) (smooth, positive, close to 1 at initialisation, which
/// is the spread of the normalised data). The normalisation and the training absorption range are buffers
/// (<c>absorption_mean</c>, <c>absorption_std</c>, <c>latent_mean</c>, <c>latent_std</c>, <c>absorption_range</c>),
/// so they are saved and loaded with the weights. Build models outside any dispose scope.
/// </remarks>
public sealed partial class MixtureDensityNetwork : nn.Module<Tensor, MdnOutput>
{
    /// <summary>Kind name written in the saved header.</summary>
    public const string Kind = nameof(MixtureDensityNetwork);

    /// <summary>Version of the saved format (see <see cref="ModelStream"/>).</summary>
    public const int FormatVersion = 1;

    /// <summary>Added to ELU(x) + 1 so a deviation is positive even where ELU saturates at -1.</summary>
    public const double SigmaEpsilon = 1e-6;

    /// <summary>Stream key of the spread of the initial component means (apart from ParameterInitializer's keys).</summary>
    private const long MeanSpreadKey = 1_000_001;

    [ComponentName(Name = "trunk")] private readonly Sequential _trunk;
    [ComponentName(Name = "weights")] private readonly Linear _weights;
    [ComponentName(Name = "means")] private readonly Linear _means;
    [ComponentName(Name = "sigmas")] private readonly Linear _sigmas;
    [ComponentName(Name = "absorption_mean")] private readonly Tensor _absorptionMean;
    [ComponentName(Name = "absorption_std")] private readonly Tensor _absorptionStd;
    [ComponentName(Name = "latent_mean")] private readonly Tensor _latentMean;
    [ComponentName(Name = "latent_std")] private readonly Tensor _latentStd;
    [ComponentName(Name = "absorption_range")] private readonly Tensor _absorptionRange;

    /// <summary>Creates a network with weights drawn from seed 0 and identity normalisation.</summary>
    public MixtureDensityNetwork(MdnOptions options) : this(options, seed: 0)
    {
    }

    /// <summary>
    /// Creates a network whose weights are drawn from <paramref name="seed"/> (PyTorch's default distribution, seeded)
    /// with the initial component means spread over +-sqrt(3) (unit variance) so the components start apart.
    /// The normalisation starts as identity with an unbounded training range; the trainer sets it.
    /// </summary>
    /// <exception cref="ArgumentException">An option is invalid or <see cref="MdnOptions.LatentDimension"/> is 0.</exception>
    public MixtureDensityNetwork(MdnOptions options, long seed) : base(nameof(MixtureDensityNetwork))
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ValidateForModel();
        Options = options;
        int h = options.HiddenUnits, k = options.Components, l = options.LatentDimension;
        var layers = new List<(string, nn.Module<Tensor, Tensor>)>();
        for (int i = 0; i < options.HiddenLayers; i++)
        {
            layers.Add(($"{2 * i}", nn.Linear(i == 0 ? 1 : h, h)));
            layers.Add(($"{2 * i + 1}", nn.Tanh()));
        }
        _trunk = nn.Sequential(layers);
        _weights = nn.Linear(h, k);
        _means = nn.Linear(h, (long)k * l);
        _sigmas = nn.Linear(h, (long)k * l);
        _absorptionMean = zeros(1);
        _absorptionStd = ones(1);
        _latentMean = zeros(l);
        _latentStd = ones(l);
        _absorptionRange = tensor(new[] { double.NegativeInfinity, double.PositiveInfinity });
        // Only a network that draws correlated noise holds the factor: the saved state of every other one is unchanged.
        _noiseFactor = !options.CorrelatedNoise ? null : options.NoiseBands > 1 ? eye(l).expand(options.NoiseBands, l, l).contiguous() : eye(l);
        // Until fitted every band holds the identity, so its centre does not matter; 0, 1, 2, ... keeps them ascending.
        _noiseCentres = options.CorrelatedNoise && options.NoiseBands > 1 ? tensor(Enumerable.Range(0, options.NoiseBands).Select(i => (double)i).ToArray()) : null;
        RegisterComponents();
        ParameterInitializer.Initialize(this, seed);
        using var noGrad = no_grad();
        using var spread = tensor(new SeededRandom(seed, SeededRandom.Purpose.Initialization, MeanSpreadKey).Uniform((long)k * l, Math.Sqrt(3)));
        _means.bias!.copy_(spread);
    }

    /// <summary>The options the network was built with.</summary>
    public MdnOptions Options { get; }

    /// <summary>The device the weights live on.</summary>
    public Device Device => _latentStd.device;

    /// <summary>Smallest training absorption (negative infinity before normalisation is set).</summary>
    public double TrainingAbsorptionMin => Range()[0];

    /// <summary>Largest training absorption (positive infinity before normalisation is set).</summary>
    public double TrainingAbsorptionMax => Range()[1];

    /// <summary>
    /// Whether <paramref name="absorption"/> lies inside the training range (ends included); outside it the network
    /// extrapolates. Compared in single precision, the precision of the training data, so 0.3 counts as inside a range
    /// whose end is the float 0.3f. NaN is outside.
    /// </summary>
    public bool IsInTrainingRange(double absorption)
    {
        var range = Range();
        float value = (float)absorption;
        return value >= (float)range[0] && value <= (float)range[1];
    }

    /// <summary>The scales in use (read from the buffers).</summary>
    public MdnNormalization Normalization
    {
        get
        {
            var range = Range();
            return new MdnNormalization(
                Scalar(_absorptionMean), Scalar(_absorptionStd), Values(_latentMean), Values(_latentStd), range[0], range[1]);
        }
    }

    /// <summary>Sets the scales (done by <see cref="MdnTrainer"/> from the training split, before training).</summary>
    /// <exception cref="ArgumentException">Lengths differ from the latent dimension, or a value is not finite / not positive.</exception>
    public void SetNormalization(MdnNormalization normalization)
    {
        ArgumentNullException.ThrowIfNull(normalization);
        normalization.Validate(Options.LatentDimension);
        using var noGrad = no_grad();
        using (var mean = normalization.AbsorptionMean.ToScalar()) _absorptionMean.fill_(mean);
        using (var deviation = normalization.AbsorptionStandardDeviation.ToScalar()) _absorptionStd.fill_(deviation);
        using (var mean = tensor(normalization.LatentMean.ToArray())) _latentMean.copy_(mean);
        using (var deviation = tensor(normalization.LatentStandardDeviation.ToArray())) _latentStd.copy_(deviation);
        using var range = tensor(new[] { normalization.AbsorptionMin, normalization.AbsorptionMax });
        _absorptionRange.copy_(range);
    }

    /// <summary>The mixtures in normalised latent units for normalised absorption [B, 1].</summary>
    /// <exception cref="ArgumentException">Not a floating-point [B, 1] tensor.</exception>
    public override MdnOutput forward(Tensor normalizedAbsorption)
    {
        ArgumentNullException.ThrowIfNull(normalizedAbsorption);
        if (normalizedAbsorption.dim() != 2 || normalizedAbsorption.shape[1] != 1 || !normalizedAbsorption.is_floating_point())
            throw new ArgumentException(
                $"The network takes normalised absorption as a floating-point [B, 1] tensor; got {normalizedAbsorption.dtype} [{string.Join(", ", normalizedAbsorption.shape)}].",
                nameof(normalizedAbsorption));
        using var scope = NewDisposeScope();
        long b = normalizedAbsorption.shape[0];
        int k = Options.Components, l = Options.LatentDimension;
        var hidden = _trunk.call(normalizedAbsorption);
        var logWeights = nn.functional.log_softmax(_weights.call(hidden), 1);
        var means = _means.call(hidden).view(b, k, l);
        var sigmas = _sigmas.call(hidden).Elu().Plus(HeldScalar.Of(1 + SigmaEpsilon)).clamp_min(HeldScalar.Of(Options.SigmaFloor)).view(b, k, l);
        return new MdnOutput(logWeights, means, sigmas).MoveToOuterDisposeScope();
    }

    /// <summary>The mixtures in raw latent units for raw absorption [B] or [B, 1] (no gradient).</summary>
    /// <exception cref="ArgumentException">Bad absorption (shape, type, NaN or infinity).</exception>
    public MdnOutput Mixture(Tensor absorption)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var normalized = call(NormalizeAbsorption(absorption, nameof(absorption)));
        return new MdnOutput(
            normalized.LogWeights,
            normalized.Means.mul(_latentStd).Plus(_latentMean),
            normalized.Sigmas.mul(_latentStd)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Draws <paramref name="samplesPerTarget"/> latents per target: [B, N, L] raw latents. Each draw picks its component
    /// from the mixture weights, then adds the component's standard deviation times a standard normal to its mean. The
    /// draws come from <paramref name="seed"/> alone (row b's draws do not depend on other rows or on N's later draws).
    /// </summary>
    /// <param name="absorption">Raw target absorption [B] or [B, 1].</param>
    /// <param name="samplesPerTarget">Draws per target N (the paper uses 30).</param>
    /// <param name="seed">Seed of the draws: the same seed gives the same latents.</param>
    /// <exception cref="ArgumentException">Bad absorption.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="samplesPerTarget"/> below 1.</exception>
    public Tensor Sample(Tensor absorption, int samplesPerTarget, long seed)
    {
        if (samplesPerTarget < 1) throw new ArgumentOutOfRangeException(nameof(samplesPerTarget), samplesPerTarget, "Draw at least 1 sample per target.");
        using var mixture = Mixture(absorption);
        float[] conditions;
        using (var raw = absorption.detach().reshape(-1).to(ScalarType.Float32).cpu().contiguous()) conditions = raw.data<float>().ToArray();
        return MixtureSampler.Sample(mixture, samplesPerTarget, seed, correlation: NoiseFactors(), conditions: conditions);
    }

    /// <summary>The mean of each target's heaviest component: [B, L] raw latents (the single most plausible latent).</summary>
    public Tensor MostLikely(Tensor absorption)
    {
        using var scope = NewDisposeScope();
        var mixture = Mixture(absorption);
        long l = Options.LatentDimension;
        var best = mixture.LogWeights.argmax(1).view(-1, 1, 1).expand(-1, 1, l);
        return mixture.Means.gather(1, best).squeeze(1).MoveToOuterDisposeScope();
    }

    /// <summary>The mixture mean sum_k pi_k mu_k: [B, L] raw latents (may fall between modes).</summary>
    public Tensor MixtureMean(Tensor absorption)
    {
        using var scope = NewDisposeScope();
        var mixture = Mixture(absorption);
        return mixture.LogWeights.exp().unsqueeze(2).mul(mixture.Means).sum(1).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// log p(latent | absorption) per target [B] (nats), the density of the raw latents: for held-out evaluation.
    /// </summary>
    /// <param name="absorption">Raw absorption [B] or [B, 1].</param>
    /// <param name="latents">Raw latents [B, L].</param>
    /// <exception cref="ArgumentException">Bad absorption or latents (shape, type, count, NaN).</exception>
    public Tensor LogLikelihood(Tensor absorption, Tensor latents)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var x = NormalizeAbsorption(absorption, nameof(absorption));
        var y = NormalizeLatents(latents, x.shape[0], nameof(latents));
        var mixture = call(x);
        return MdnLoss.LogLikelihood(mixture, y).sub(LogJacobian()).MoveToOuterDisposeScope();
    }

    /// <summary>sum_l log(latent_std_l): what a log density in normalised units exceeds the raw-unit density by.</summary>
    internal Tensor LogJacobian() => _latentStd.log().sum();

    /// <summary>Raw absorption [B] or [B, 1] -> normalised [B, 1] float32 on the model's device.</summary>
    internal Tensor NormalizeAbsorption(Tensor absorption, string name)
    {
        ArgumentNullException.ThrowIfNull(absorption, name);
        if (!absorption.is_floating_point() || absorption.dim() is < 1 or > 2 || (absorption.dim() == 2 && absorption.shape[1] != 1) || absorption.shape[0] < 1)
            throw new ArgumentException($"Absorption must be a floating-point [B] or [B, 1] tensor with B >= 1; got {absorption.dtype} [{string.Join(", ", absorption.shape)}].", name);
        using var scope = NewDisposeScope();
        if (!absorption.isfinite().all().item<bool>()) throw new ArgumentException($"{name} holds NaN or infinite values; absorption must be finite.", name);
        return absorption.reshape(-1, 1).to(ScalarType.Float32, Device).sub(_absorptionMean).div(_absorptionStd).MoveToOuterDisposeScope();
    }

    /// <summary>Raw latents [B, L] -> normalised [B, L] float32 on the model's device.</summary>
    internal Tensor NormalizeLatents(Tensor latents, long count, string name)
    {
        ArgumentNullException.ThrowIfNull(latents, name);
        int l = Options.LatentDimension;
        if (!latents.is_floating_point() || latents.dim() != 2 || latents.shape[0] != count || latents.shape[1] != l)
            throw new ArgumentException($"Latents must be a floating-point [{count}, {l}] tensor (one latent of dimension {l} per absorption value); got {latents.dtype} [{string.Join(", ", latents.shape)}].", name);
        using var scope = NewDisposeScope();
        if (!latents.isfinite().all().item<bool>()) throw new ArgumentException($"{name} holds NaN or infinite values; latents must be finite.", name);
        return latents.to(ScalarType.Float32, Device).sub(_latentMean).div(_latentStd).MoveToOuterDisposeScope();
    }

    private double[] Range()
    {
        using var cpu = _absorptionRange.cpu();
        return cpu.data<double>().ToArray();
    }

    private static double Scalar(Tensor value)
    {
        using var cpu = value.detach().cpu().to_type(ScalarType.Float64);
        return cpu.item<double>();
    }

    private static float[] Values(Tensor value)
    {
        using var cpu = value.detach().cpu();
        return cpu.data<float>().ToArray();
    }
}
