using System.Numerics;

namespace MlNetInverse.Tests.Physics.Rcwa;

/// <summary>
/// Independent check: the analytic characteristic-matrix (Abeles) solution for homogeneous films at normal
/// incidence, exp(-i w t). Returns R, T and the power absorbed in each film.
/// </summary>
internal static class ThinFilmMatrix
{
    public static (double R, double T, double[] LayerAbsorption) Solve(Complex epsTop, (Complex Eps, double ThicknessNm)[] films, Complex epsBottom, double wavelengthNm)
    {
        Complex nTop = Complex.Sqrt(epsTop), nBottom = Complex.Sqrt(epsBottom);
        // Tangential (E, H) at every interface, bottom up, for unit transmitted amplitude.
        var fields = new (Complex E, Complex H)[films.Length + 1];
        fields[films.Length] = (1, nBottom);
        for (int j = films.Length - 1; j >= 0; j--)
        {
            var n = Complex.Sqrt(films[j].Eps);
            if (n.Imaginary < 0) n = -n;
            var delta = 2 * Math.PI * n * films[j].ThicknessNm / wavelengthNm;
            var (e, h) = fields[j + 1];
            fields[j] = (Complex.Cos(delta) * e - Complex.ImaginaryOne * Complex.Sin(delta) / n * h,
                         -Complex.ImaginaryOne * n * Complex.Sin(delta) * e + Complex.Cos(delta) * h);
        }
        var (b, c) = fields[0];
        var incident = (nTop * b + c) / (2 * nTop);        // amplitude of the incident wave that gives unit transmission
        var r = (nTop * b - c) / (nTop * b + c);
        double incidentFlux = nTop.Real * incident.Magnitude * incident.Magnitude;
        double Flux((Complex E, Complex H) f) => (f.E * Complex.Conjugate(f.H)).Real;
        var absorbed = new double[films.Length];
        for (int j = 0; j < films.Length; j++) absorbed[j] = (Flux(fields[j]) - Flux(fields[j + 1])) / incidentFlux;
        return (r.Magnitude * r.Magnitude, Flux(fields[films.Length]) / incidentFlux, absorbed);
    }
}
