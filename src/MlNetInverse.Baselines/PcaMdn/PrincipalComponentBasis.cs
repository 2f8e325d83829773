using MlNetInverse.Models.Devices;
using MlNetInverse.Models.Training;
using MlNetInverse.Physics.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace MlNetInverse.Baselines.PcaMdn;

/// <summary>
/// Principal component analysis of flattened images: the mean image and the first k right singular vectors of the
/// centred N x P image matrix (torch.linalg.svd), so an image is approximately mean + sum_j c_j * component_j.
/// </summary>
/// <remarks>
/// Buffers (saved with TorchSharp's <c>Module.save</c>): <c>mean</c> [P], <c>components</c> [k, P]
/// (orthonormal rows), <c>explained_variance</c> [k] (variance of each coefficient over the fitted images, s_j^2 / N).
/// Singular vectors are defined up to sign, and the sign LAPACK returns can change with the thread count or library
/// version; each component is flipped so that its entry of largest magnitude is positive, which makes the basis (and
/// so the MDN's targets) reproducible.
/// </remarks>
public sealed class PrincipalComponentBasis : nn.Module
{
    [ComponentName(Name = "mean")] private readonly Tensor _mean;
    [ComponentName(Name = "components")] private readonly Tensor _components;
    [ComponentName(Name = "explained_variance")] private readonly Tensor _explainedVariance;

    /// <summary>Creates an empty basis (zeros) for <paramref name="pixels"/> values and <paramref name="components"/> components; <see cref="Fit"/> or loading fills it.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A count below 1.</exception>
    public PrincipalComponentBasis(int pixels, int components) : base(nameof(PrincipalComponentBasis))
    {
        if (pixels < 1) throw new ArgumentOutOfRangeException(nameof(pixels), pixels, "An image has at least 1 pixel.");
        if (components < 1) throw new ArgumentOutOfRangeException(nameof(components), components, "Keep at least 1 principal component.");
        _mean = zeros(pixels);
        _components = zeros(components, pixels);
        _explainedVariance = zeros(components);
        RegisterComponents();
    }

    /// <summary>Values per image P.</summary>
    public int Pixels => (int)_mean.shape[0];

    /// <summary>Components kept k.</summary>
    public int Components => (int)_components.shape[0];

    /// <summary>The device the basis lives on.</summary>
    public Device Device => _mean.device;

    /// <summary>Variance of each kept coefficient over the fitted images (pixel value^2), largest first.</summary>
    public double[] ExplainedVariance
    {
        get
        {
            using var cpu = _explainedVariance.to_type(ScalarType.Float64).cpu();
            return cpu.data<double>().ToArray();
        }
    }

    /// <summary>
    /// Fits the basis to <paramref name="images"/> (N * P values, image-major): the mean over the N images and the
    /// first <paramref name="components"/> right singular vectors of the centred matrix, computed on <paramref name="device"/>.
    /// </summary>
    /// <exception cref="ArgumentException">Empty images, a length that is not a multiple of P, or more components than min(N, P).</exception>
    public static PrincipalComponentBasis Fit(float[] images, int pixels, int components, ComputeDevice device = ComputeDevice.Cpu)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (pixels < 1 || images.Length == 0 || images.Length % pixels != 0)
            throw new ArgumentException($"images must hold N * {pixels} values (N >= 1); got {images.Length}.", nameof(images));
        int count = images.Length / pixels;
        if (components < 1 || components > Math.Min(count, pixels))
            throw new ArgumentOutOfRangeException(nameof(components), components,
                $"Keep between 1 and min(N, P) = min({count}, {pixels}) principal components.");

        var basis = new PrincipalComponentBasis(pixels, components);
        var target = DeviceResolver.Resolve(device);
        using var noGrad = no_grad();
        using (var scope = NewDisposeScope())
        {
            var data = tensor(images, [count, pixels]).to(target);
            var mean = data.mean([0L]);
            var (_, singular, vh) = linalg.svd(data.sub(mean), fullMatrices: false);
            var kept = vh.narrow(0, 0, components);
            // Sign convention: the entry of largest magnitude of each component is positive.
            var largest = kept.abs().argmax(1, keepdim: true);
            var sign = kept.gather(1, largest).sign();
            sign = where(sign.eq(HeldScalar.Of(0)), ones_like(sign), sign);
            basis._mean.copy_(mean.cpu());
            basis._components.copy_(kept.mul(sign).cpu());
            basis._explainedVariance.copy_(singular.narrow(0, 0, components).Squared().div(HeldScalar.Of(count)).cpu());
        }
        basis.to(target);
        return basis;
    }

    /// <summary>Coefficients [B, k] of images [B, P] (no gradient).</summary>
    public Tensor Project(Tensor images)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (images.dim() != 2 || images.shape[1] != Pixels)
            throw new ArgumentException($"Images must be [B, {Pixels}]; got [{string.Join(", ", images.shape)}].", nameof(images));
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        return images.to(ScalarType.Float32, Device).sub(_mean).matmul(_components.t()).MoveToOuterDisposeScope();
    }

    /// <summary>Images [B, P] from coefficients [B, k]: mean + coefficients x components (no gradient).</summary>
    public Tensor Reconstruct(Tensor coefficients)
    {
        ArgumentNullException.ThrowIfNull(coefficients);
        if (coefficients.dim() != 2 || coefficients.shape[1] != Components)
            throw new ArgumentException($"Coefficients must be [B, {Components}]; got [{string.Join(", ", coefficients.shape)}].", nameof(coefficients));
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        return coefficients.to(ScalarType.Float32, Device).matmul(_components).Plus(_mean).MoveToOuterDisposeScope();
    }

    /// <summary>Mean squared pixel error of projecting and reconstructing <paramref name="images"/> (N * P values) with the first <paramref name="components"/> components (all when null).</summary>
    public double ReconstructionError(float[] images, int? components = null)
    {
        ArgumentNullException.ThrowIfNull(images);
        int k = components ?? Components;
        if (k < 0 || k > Components) throw new ArgumentOutOfRangeException(nameof(components), k, $"Use between 0 and {Components} components.");
        if (images.Length == 0 || images.Length % Pixels != 0)
            throw new ArgumentException($"images must hold N * {Pixels} values; got {images.Length}.", nameof(images));
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var data = tensor(images, [images.Length / Pixels, Pixels]).to(Device);
        var basis = _components.narrow(0, 0, k);
        var centred = data.sub(_mean);
        var reconstructed = centred.matmul(basis.t()).matmul(basis);
        return reconstructed.sub(centred).Squared().mean().to_type(ScalarType.Float64).cpu().item<double>();
    }
}
