using MlNetInverse.Physics.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetInverse.Models.VqVae;

/// <summary>
/// A ridge regression from a latent grid [B, D, G, G] to the volume fraction of material A that its design should
/// have, fitted on the training maps' quantized latents. <see cref="DesignBinarization"/> thresholds each decoded design
/// at the quantile that gives the volume fraction read here from its snapped codes: the decoder's probabilities cut at
/// 0.5 hold less material A than the maps those codes encode (at absorption 0.75, 0.387 against the data's 0.408).
/// Read from the raw MDN draw instead, it asked for more material A than the codes hold and closed phase B channels.
/// </summary>
public sealed class VolumeFractionReadout
{
    /// <summary>Ridge strength as a fraction of the features' mean variance: enough to keep 512 correlated features stable.</summary>
    public const double DefaultRidge = 1e-3;

    private readonly float[] _weights;

    /// <summary>A readout with the given weights (one per latent value, D*G*G in the grid's memory order) and bias.</summary>
    /// <exception cref="ArgumentException">No weights, or a value that is not finite.</exception>
    public VolumeFractionReadout(IReadOnlyList<float> weights, float bias)
    {
        ArgumentNullException.ThrowIfNull(weights);
        if (weights.Count == 0) throw new ArgumentException("A volume fraction readout needs at least one weight.", nameof(weights));
        if (!float.IsFinite(bias) || weights.Any(w => !float.IsFinite(w)))
            throw new ArgumentException("The volume fraction readout's weights and bias must be finite.", nameof(weights));
        _weights = [.. weights];
        Bias = bias;
    }

    /// <summary>Weights, one per latent value (D*G*G, in the latent grid's memory order).</summary>
    public IReadOnlyList<float> Weights => _weights;

    /// <summary>Volume fraction of an all-zero latent.</summary>
    public float Bias { get; }

    /// <summary>Latent values L the readout takes.</summary>
    public int LatentLength => _weights.Length;

    /// <summary>
    /// Fits the readout by ridge regression (in float64, features centred) on <paramref name="latents"/> [N, ...] with
    /// L values each and their maps' <paramref name="volumeFractions"/> [N].
    /// </summary>
    /// <exception cref="ArgumentException">Fewer than two rows, row counts that differ, or a negative ridge.</exception>
    public static VolumeFractionReadout Fit(Tensor latents, Tensor volumeFractions, double ridge = DefaultRidge)
    {
        ArgumentNullException.ThrowIfNull(latents);
        ArgumentNullException.ThrowIfNull(volumeFractions);
        long n = latents.shape[0];
        if (n < 2 || volumeFractions.numel() != n)
            throw new ArgumentException($"Fitting a volume fraction readout needs at least 2 latents and one volume fraction each; got {n} latents and {volumeFractions.numel()} volume fractions.", nameof(volumeFractions));
        if (!(ridge >= 0)) throw new ArgumentOutOfRangeException(nameof(ridge), ridge, "The ridge strength must be zero or positive.");
        using var scope = NewDisposeScope();
        var x = latents.detach().reshape(n, -1).to_type(ScalarType.Float64).cpu();
        var y = volumeFractions.detach().reshape(n).to_type(ScalarType.Float64).cpu();
        var xMean = x.mean([0L]);
        double yMean = y.mean().item<double>();
        var centred = x.sub(xMean);
        var gram = centred.t().matmul(centred).div(HeldScalar.Of((double)n));
        long l = gram.shape[0];
        double strength = ridge * Math.Max(gram.diagonal().mean().item<double>(), 1e-12);
        var system = gram.Plus(eye(l, dtype: ScalarType.Float64).mul(HeldScalar.Of(strength)));
        var moments = centred.t().matmul(y.sub(HeldScalar.Of(yMean))).div(HeldScalar.Of((double)n));
        var weights = linalg.solve(system, moments.unsqueeze(1L)).squeeze(1L);
        double bias = yMean - weights.dot(xMean).item<double>();
        return new VolumeFractionReadout(weights.to_type(ScalarType.Float32).data<float>().ToArray(), (float)bias);
    }

    /// <summary>The volume fraction each latent asks for, [B] float32 on the latents' device, clamped to [0, 1] (computed in float64).</summary>
    /// <exception cref="ArgumentException">Latents that do not hold <see cref="LatentLength"/> values each.</exception>
    public Tensor Read(Tensor latents)
    {
        ArgumentNullException.ThrowIfNull(latents);
        long b = latents.shape[0];
        if (b * _weights.Length != latents.numel())
            throw new ArgumentException($"The volume fraction readout takes {_weights.Length} latent values per design; got [{string.Join(", ", latents.shape)}].", nameof(latents));
        using var scope = NewDisposeScope();
        // In float64: a float32 product's last bit depends on the kernel's summation order (it moved with the weights'
        // alignment), and one bit can move round(v*S*S) across a half; the exported graph computes in float64 too.
        var weights = tensor(_weights, [_weights.Length, 1L], device: latents.device).to_type(ScalarType.Float64);
        return latents.reshape(b, _weights.Length).to_type(ScalarType.Float64).matmul(weights).reshape(b)
            .Plus((double)Bias).clamp(HeldScalar.Of(0.0), HeldScalar.Of(1.0)).to_type(ScalarType.Float32).MoveToOuterDisposeScope();
    }

    // *** Binary format ***
    // int:    L
    // float:  L weights
    // float:  bias
    /// <summary>Writes the weights and bias.</summary>
    public void Write(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(_weights.Length);
        foreach (var w in _weights) writer.Write(w);
        writer.Write(Bias);
    }

    /// <summary>Reads what <see cref="Write"/> wrote, expecting <paramref name="latentLength"/> weights.</summary>
    /// <exception cref="InvalidDataException">Another length, values that are not finite, or a truncated stream.</exception>
    public static VolumeFractionReadout Read(BinaryReader reader, int latentLength)
    {
        ArgumentNullException.ThrowIfNull(reader);
        try
        {
            int length = reader.ReadInt32();
            if (length != latentLength)
                throw new InvalidDataException($"The volume fraction readout holds {length} weights but the latents have {latentLength} values.");
            var weights = new float[length];
            for (int i = 0; i < length; i++) weights[i] = reader.ReadSingle();
            return new VolumeFractionReadout(weights, reader.ReadSingle());
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException("The volume fraction readout is truncated.", e);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"The volume fraction readout is invalid: {e.Message}", e);
        }
    }
}
