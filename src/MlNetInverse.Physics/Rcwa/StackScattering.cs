using System.Numerics;
using MlNetInverse.Physics.Runtime;
using static TorchSharp.torch;

namespace MlNetInverse.Physics.Rcwa;

/// <summary>
/// Solves the boundary-value problem of the layered stack at one wavelength for x and y incidence at once.
/// Bottom-up, each layer's backward amplitudes are tied to its forward ones, c- = Gamma X c+ (X = exp(i q k0 t) only
/// ever decays, so no growing exponential appears: this is what keeps thick or lossy layers stable). Top-down, the
/// amplitudes are recovered and the power flux Re sum(Ex Hy* - Ey Hx*) is taken at every interface.
/// </summary>
internal static class StackScattering
{
    private sealed class LayerState
    {
        public required Tensor? W;            // null: identity (homogeneous layer)
        public required Tensor V;
        public required Tensor X;             // [2nG, 1]
        public required Tensor Gamma;
        public required Tensor XGammaX;
        public required bool IsPatterned;
        public Tensor? F;                     // e at the layer top = F c+ (needed for layers below the first)
    }

    public static (PolarizationResponse X, PolarizationResponse Y) Solve(
        HarmonicGrid grid, double[] kx, double[] ky, double wavelengthNm,
        Complex epsSuperstrate, IReadOnlyList<LayerInput> layers, Complex epsSubstrate)
    {
        int n2 = 2 * grid.Count;
        double k0 = 2 * Math.PI / wavelengthNm;
        var identity = eye(n2, dtype: ScalarType.ComplexFloat64);
        var superstrate = new UniformModes(epsSuperstrate, kx, ky);
        var substrate = new UniformModes(epsSubstrate, kx, ky);

        var states = new LayerState[layers.Count];
        Func<Tensor, Tensor> admittanceBelow = substrate.Apply;   // h = Y e at the top of everything below
        for (int l = layers.Count - 1; l >= 0; l--)
        {
            var layer = layers[l];
            Tensor? w; Tensor v, q;
            if (layer.IsPatterned) (w, v, q) = PatternedModes.Solve(layer, kx, ky);
            else
            {
                var modes = new UniformModes(layer.UniformEps!.Value, kx, ky);
                (w, v, q) = (null, modes.Dense(), modes.Q);
            }
            var x = q.Times(new Complex(0, k0 * layer.ThicknessNm)).exp().unsqueeze(1);
            var yw = admittanceBelow(w ?? identity);
            var gamma = linalg.solve(v.Plus(yw), v - yw);
            var xgx = x * gamma * x.transpose(0, 1);
            var state = new LayerState { W = w, V = v, X = x, Gamma = gamma, XGammaX = xgx, IsPatterned = layer.IsPatterned };
            states[l] = state;
            if (l > 0)
            {
                state.F = w is null ? identity.Plus(xgx) : w.Plus(w.matmul(xgx));
                var g = v - v.matmul(xgx);
                var admittance = linalg.solve(state.F, g, left: false);   // Y F = G
                admittanceBelow = m => admittance.matmul(m);
            }
        }

        var incident = zeros(n2, 2, dtype: ScalarType.ComplexFloat64);
        incident[grid.ZeroIndex, 0] = tensor(1.0);
        incident[grid.Count + grid.ZeroIndex, 1] = tensor(1.0);
        var incidentFlux = Flux(incident, superstrate.Apply(incident));

        // Superstrate: a + r = F c and V1 (a - r) = G c  =>  (V1 F + G) c = 2 V1 a.
        var top = states[0];
        var v1w = superstrate.Apply(top.W ?? identity);
        var system = v1w.Plus(top.V).PlusInPlace((v1w - top.V).matmul(top.XGammaX));
        var c = linalg.solve(system, superstrate.Apply(incident).Times(2.0));

        double[] reflected = Array.Empty<double>(), transmitted = Array.Empty<double>();
        double[] layerTop = new double[2], layerBottom = new double[2];
        for (int l = 0; l < states.Length; l++)
        {
            var s = states[l];
            var xc = s.X * c;
            var backward = s.Gamma.matmul(xc);                      // c- = Gamma X c+
            var eTop = Basis(s.W, c.Plus(s.X * backward));
            var eBottom = Basis(s.W, xc.Plus(backward));
            var hBottom = s.V.matmul(xc - backward);
            if (l == 0)
            {
                var r = eTop - incident;
                reflected = Flux(r, superstrate.Apply(r));
            }
            if (s.IsPatterned)
            {
                layerTop = Flux(eTop, s.V.matmul(c - s.X * backward));
                layerBottom = Flux(eBottom, hBottom);
            }
            if (l + 1 < states.Length) c = linalg.solve(states[l + 1].F!, eBottom);
            else transmitted = Flux(eBottom, hBottom);
        }

        PolarizationResponse Response(int p) => new(
            reflected[p] / incidentFlux[p],
            transmitted[p] / incidentFlux[p],
            (layerTop[p] - layerBottom[p]) / incidentFlux[p]);
        return (Response(0), Response(1));
    }

    private static Tensor Basis(Tensor? w, Tensor amplitudes) => w is null ? amplitudes : w.matmul(amplitudes);

    /// <summary>Re sum over orders of (Ex Hy* - Ey Hx*) per column: the z power flux up to a constant factor.</summary>
    private static double[] Flux(Tensor e, Tensor h)
    {
        long n = e.shape[0] / 2;
        var ex = e.narrow(0, 0, n); var ey = e.narrow(0, n, n);
        var hx = h.narrow(0, 0, n); var hy = h.narrow(0, n, n);
        var flux = (ex * hy.conj() - ey * hx.conj()).sum(dim: 0L).real;
        return flux.contiguous().data<double>().ToArray();
    }
}
