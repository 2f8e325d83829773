using System.Numerics;
using System.Text.Json;
using MlNetInverse.Physics.Microstructures;
using MlNetInverse.Physics.Optics;
using MlNetInverse.Physics.Rcwa;

namespace MlNetInverse.Tests.Physics.Rcwa;

/// <summary>
/// The published RCWA test vectors (Reference/, copied from the project's shared rcwa-reference: grcwa, S4 and torcwa
/// agree on them to 2e-13) and the structure they were computed for.
/// </summary>
internal static class RcwaReference
{
    public static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Physics", "Rcwa", "Reference");

    public sealed record Row(string Case, string Solver, int Harmonics, double WavelengthNm, IReadOnlyDictionary<string, double> Values);

    private static readonly Lazy<IReadOnlyList<Row>> Rows = new(() =>
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "reference.json")));
        var keys = new[] { "R_x", "T_x", "A_x", "R_y", "T_y", "A_y", "A_avg" };
        return document.RootElement.GetProperty("results").EnumerateArray().Select(r => new Row(
            r.GetProperty("case").GetString()!,
            r.GetProperty("solver").GetString()!,
            r.GetProperty("nG").GetInt32(),
            r.GetProperty("wavelength_nm").GetDouble(),
            keys.ToDictionary(k => k, k => r.GetProperty(k).GetDouble()))).ToList();
    });

    public static IReadOnlyList<Row> All => Rows.Value;

    public static Microstructure Pattern(string name) =>
        Microstructure.ParseText(File.ReadAllText(Path.Combine(Folder, "patterns", name + ".txt")), name);

    /// <summary>350 nm period, 100 nm film of eps 12+0.5i patterned with eps 1, air above, eps 2.25 below.</summary>
    public static OpticalStack Stack(int harmonics, FourierFactorization factorization, params double[] wavelengthsNm) => new()
    {
        PeriodNm = 350,
        Superstrate = Material.Constant("air", 1),
        Patterned = new PatternedLayer(Material.Constant("absorber", new Complex(12, 0.5)), Material.Constant("void", 1), 100),
        Substrate = Material.Constant("substrate", 2.25),
        WavelengthsNm = wavelengthsNm.Length > 0 ? wavelengthsNm : new double[] { 400, 500, 600, 700 },
        Solver = new RcwaOptions { Harmonics = harmonics, Factorization = factorization },
    };

    /// <summary>Largest |ours - reference| over R, T, A of both polarisations, A_avg and the layer absorption.</summary>
    public static double WorstDeviation(string solver, FourierFactorization factorization, int harmonics)
    {
        var rows = All.Where(r => r.Solver == solver && r.Harmonics == harmonics).ToList();
        Assert.NotEmpty(rows);
        using var rcwa = new RcwaSolver(Stack(harmonics, factorization));
        double worst = 0;
        foreach (var group in rows.GroupBy(r => r.Case))
        {
            var pattern = Pattern(group.Key);
            foreach (var row in group)
            {
                var w = rcwa.SimulateWavelength(pattern, row.WavelengthNm);
                var ours = new Dictionary<string, double>
                {
                    ["R_x"] = w.X.Reflectance, ["T_x"] = w.X.Transmittance, ["A_x"] = w.X.Absorptance,
                    ["R_y"] = w.Y.Reflectance, ["T_y"] = w.Y.Transmittance, ["A_y"] = w.Y.Absorptance,
                    ["A_avg"] = w.AverageAbsorptance,
                };
                foreach (var (key, expected) in row.Values) worst = Math.Max(worst, Math.Abs(ours[key] - expected));
                // With lossless surroundings all absorption happens in the patterned layer.
                worst = Math.Max(worst, Math.Abs(w.PatternedLayerAbsorptance - row.Values["A_avg"]));
            }
        }
        return worst;
    }
}
