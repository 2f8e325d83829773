using MlNetInverse.Physics.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetInverse.Physics.Rcwa;

/// <summary>
/// Eigenmodes of the patterned layer. With e = (Ex, Ey), h = eta0 (Hx, Hy) and z in units of 1/k0, Maxwell's
/// equations (exp(-i w t)) give de/dz = i P h and dh/dz = i Q e, so d^2e/dz^2 = -P Q e and the modes are the
/// eigenvectors W of P Q with kz/k0 = q = sqrt(eigenvalue); the magnetic basis is V = Q W / q.
/// </summary>
internal static class PatternedModes
{
    public static (Tensor W, Tensor V, Tensor Q) Solve(LayerInput layer, double[] kx, double[] ky)
    {
        int n = kx.Length;
        var kxT = tensor(kx).to_type(ScalarType.ComplexFloat64);
        var kyT = tensor(ky).to_type(ScalarType.ComplexFloat64);
        var identity = eye(n, dtype: ScalarType.ComplexFloat64);
        var kxCol = kxT.unsqueeze(1); var kyCol = kyT.unsqueeze(1);
        var kxRow = kxT.unsqueeze(0); var kyRow = kyT.unsqueeze(0);

        var zInverse = linalg.inv(layer.Epsilon!);              // Ez = -[eps]^-1 (Kx Hy - Ky Hx): Laurent for the z term
        var p11 = kxCol * zInverse * kyRow;
        var p12 = identity - kxCol * zInverse * kxRow;
        var p21 = kyCol * zInverse * kyRow - identity;
        var p22 = -(kyCol * zInverse * kxRow);

        // Q = [[-KxKy, Kx^2 - eps_yy], [eps_xx - Ky^2, KyKx]]: its diagonal blocks are diagonal, so P Q and Q W need
        // half the work of dense products.
        var kxky = (kxT * kyT).unsqueeze(0);
        var q12 = torch.diag(kxT * kxT) - layer.EpsilonYY!;
        var q21 = layer.EpsilonXX! - torch.diag(kyT * kyT);
        var omega = cat(new[]
        {
            cat(new[] { (-(p11 * kxky)).PlusInPlace(p12.matmul(q21)), p11.matmul(q12).PlusInPlace(p12 * kxky) }, 1),
            cat(new[] { (-(p21 * kxky)).PlusInPlace(p22.matmul(q21)), p21.matmul(q12).PlusInPlace(p22 * kxky) }, 1),
        }, 0);

        var (eigenvalues, w) = linalg.eig(omega);
        var q = eigenvalues.sqrt();
        // Forward modes decay or carry power towards +z: flip roots that landed in the lower half plane.
        var backwards = q.imag.lt(q.abs().Times(-1e-12));
        q = where(backwards, -q, q);

        var w1 = w.narrow(0, 0, n);
        var w2 = w.narrow(0, n, n);
        var kxkyCol = (kxT * kyT).unsqueeze(1);
        var qw = cat(new[] { (-(kxkyCol * w1)).PlusInPlace(q12.matmul(w2)), q21.matmul(w1).PlusInPlace(kxkyCol * w2) }, 0);
        var v = qw / q.unsqueeze(0);
        return (w, v, q);
    }
}
