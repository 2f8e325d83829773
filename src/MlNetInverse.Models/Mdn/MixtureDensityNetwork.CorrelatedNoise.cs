using MlNetInverse.Physics.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace MlNetInverse.Models.Mdn;

public sealed partial class MixtureDensityNetwork
{
    /// <summary>
    /// Lower-triangular factor C of the draws' noise correlation (C C^T): [L, L], or [G, L, L] with G noise bands; null
    /// unless <see cref="MdnOptions.CorrelatedNoise"/>.
    /// </summary>
    [ComponentName(Name = "noise_factor")] private readonly Tensor? _noiseFactor;

    /// <summary>Absorption at the centre of each noise band [G] (float64); null without bands.</summary>
    [ComponentName(Name = "noise_centres")] private readonly Tensor? _noiseCentres;

    /// <summary>
    /// The noise factors (the identity until fitted), or null for a network with independent draws. Samplers turn each
    /// draw's standard normals e into C e with the factor of the draw's condition (<see cref="Mdn.NoiseFactors.For"/>).
    /// </summary>
    public NoiseFactors? NoiseFactors()
    {
        if (_noiseFactor is null) return null;
        double[] centres = _noiseCentres is null ? [] : _noiseCentres.detach().cpu().contiguous().data<double>().ToArray();
        return Mdn.NoiseFactors.FromStacked(_noiseFactor.detach().cpu().contiguous().data<float>().ToArray(), centres, Options.LatentDimension);
    }

    /// <summary>The factor [L * L] of a network with one noise correlation for every condition (see <see cref="NoiseFactors"/>).</summary>
    /// <exception cref="InvalidOperationException">The network has noise bands.</exception>
    public float[]? NoiseFactor()
    {
        if (_noiseCentres is not null)
            throw new InvalidOperationException($"This network draws with {Options.NoiseBands} noise bands; read them with NoiseFactors().");
        return _noiseFactor is null ? null : _noiseFactor.detach().cpu().contiguous().data<float>().ToArray();
    }

    /// <summary>Sets the noise factor of a network with one correlation (done by <see cref="MdnTrainer"/> from <see cref="MdnResidualCorrelation"/>).</summary>
    /// <exception cref="InvalidOperationException">The network draws independent noise.</exception>
    /// <exception cref="ArgumentException">Not an [L, L] lower-triangular matrix with a positive, finite diagonal, or the network has bands.</exception>
    public void SetNoiseFactor(Tensor factor)
    {
        ArgumentNullException.ThrowIfNull(factor);
        if (_noiseCentres is not null)
            throw new ArgumentException($"This network draws with {Options.NoiseBands} noise bands; set them with SetNoiseFactors.", nameof(factor));
        SetFactors(factor, [Options.LatentDimension, Options.LatentDimension], nameof(factor));
    }

    /// <summary>
    /// Sets the factors of a network with noise bands: <paramref name="factors"/> [G, L, L], each lower-triangular with a
    /// positive, finite diagonal, centred at <paramref name="centres"/> (G raw absorption values, ascending).
    /// </summary>
    /// <exception cref="InvalidOperationException">The network draws independent noise or has no bands.</exception>
    /// <exception cref="ArgumentException">Shapes that do not match the options, a factor that is not a Cholesky factor, or centres that do not ascend.</exception>
    public void SetNoiseFactors(Tensor factors, IReadOnlyList<double> centres)
    {
        ArgumentNullException.ThrowIfNull(factors);
        ArgumentNullException.ThrowIfNull(centres);
        if (_noiseCentres is null)
            throw new InvalidOperationException("This network has no noise bands (MdnOptions.NoiseBands is 0 or 1); set its one factor with SetNoiseFactor.");
        int g = Options.NoiseBands;
        if (centres.Count != g || centres.Any(c => !double.IsFinite(c)) || centres.Zip(centres.Skip(1)).Any(p => !(p.Second > p.First)))
            throw new ArgumentException($"The noise bands need {g} finite, ascending centres; got {centres.Count}.", nameof(centres));
        SetFactors(factors, [g, Options.LatentDimension, Options.LatentDimension], nameof(factors));
        using var noGrad = no_grad();
        using var values = tensor(centres.ToArray(), dtype: ScalarType.Float64);
        _noiseCentres.copy_(values);
    }

    private void SetFactors(Tensor factor, long[] shape, string name)
    {
        if (_noiseFactor is null)
            throw new InvalidOperationException("This network draws independent noise (MdnOptions.CorrelatedNoise is false); it has no noise factor to set.");
        if (!factor.shape.SequenceEqual(shape))
            throw new ArgumentException($"The noise factor must be [{string.Join(", ", shape)}]; got [{string.Join(", ", factor.shape)}].", name);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var cpu = factor.detach().to(ScalarType.Float32, CPU);
        if (!cpu.isfinite().all().item<bool>() || !(cpu.diagonal(0, -2, -1).min().item<float>() > 0) || !cpu.triu(1).eq(HeldScalar.Of(0)).all().item<bool>())
            throw new ArgumentException("The noise factor must be lower-triangular with a positive, finite diagonal (a Cholesky factor).", name);
        _noiseFactor.copy_(cpu);
    }

    /// <summary>
    /// A copy that draws independent noise (the paper's sampling): the same weights, buffers and normalisation without
    /// the factor. For a network without one it is a plain copy. Build it outside any dispose scope.
    /// </summary>
    public MixtureDensityNetwork WithIndependentNoise()
    {
        var plain = new MixtureDensityNetwork(Options with { CorrelatedNoise = false, NoiseBands = 0 }, seed: 0);
        using var noGrad = no_grad();
        var mine = state_dict();
        foreach (var (name, value) in plain.state_dict()) value.copy_(mine[name]);
        plain.to(Device);
        plain.eval();
        return plain;
    }
}
