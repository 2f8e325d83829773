using MlNetInverse.Physics.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace MlNetInverse.Models.Mdn;

public sealed partial class MixtureDensityNetwork
{
    /// <summary>Lower-triangular factor C of the draws' noise correlation (C C^T), [L, L]; null unless <see cref="MdnOptions.CorrelatedNoise"/>.</summary>
    [ComponentName(Name = "noise_factor")] private readonly Tensor? _noiseFactor;

    /// <summary>
    /// The noise factor as row-major floats [L * L] (lower-triangular; the identity until fitted), or null for a network
    /// with independent draws. Samplers turn standard normals e into C e.
    /// </summary>
    public float[]? NoiseFactor() => _noiseFactor is null ? null : _noiseFactor.detach().cpu().contiguous().data<float>().ToArray();

    /// <summary>Sets the noise factor (done by <see cref="MdnTrainer"/> from <see cref="MdnResidualCorrelation"/>).</summary>
    /// <exception cref="InvalidOperationException">The network draws independent noise.</exception>
    /// <exception cref="ArgumentException">Not an [L, L] lower-triangular matrix with a positive, finite diagonal.</exception>
    public void SetNoiseFactor(Tensor factor)
    {
        ArgumentNullException.ThrowIfNull(factor);
        if (_noiseFactor is null)
            throw new InvalidOperationException("This network draws independent noise (MdnOptions.CorrelatedNoise is false); it has no noise factor to set.");
        int l = Options.LatentDimension;
        if (factor.dim() != 2 || factor.shape[0] != l || factor.shape[1] != l)
            throw new ArgumentException($"The noise factor must be [{l}, {l}]; got [{string.Join(", ", factor.shape)}].", nameof(factor));
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var cpu = factor.detach().to(ScalarType.Float32, CPU);
        if (!cpu.isfinite().all().item<bool>() || !(cpu.diagonal().min().item<float>() > 0) || !cpu.triu(1).eq(HeldScalar.Of(0)).all().item<bool>())
            throw new ArgumentException("The noise factor must be lower-triangular with a positive, finite diagonal (a Cholesky factor).", nameof(factor));
        _noiseFactor.copy_(cpu);
    }

    /// <summary>
    /// A copy that draws independent noise (the paper's sampling): the same weights, buffers and normalisation without
    /// the factor. For a network without one it is a plain copy. Build it outside any dispose scope.
    /// </summary>
    public MixtureDensityNetwork WithIndependentNoise()
    {
        var plain = new MixtureDensityNetwork(Options with { CorrelatedNoise = false }, seed: 0);
        using var noGrad = no_grad();
        var mine = state_dict();
        foreach (var (name, value) in plain.state_dict()) value.copy_(mine[name]);
        plain.to(Device);
        plain.eval();
        return plain;
    }
}
