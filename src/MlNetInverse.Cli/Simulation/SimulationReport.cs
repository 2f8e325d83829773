using System.Globalization;
using System.Text;
using System.Text.Json;
using MlNetInverse.Physics.Optics;
using MlNetInverse.Physics.Rcwa;
using Spectre.Console;

namespace MlNetInverse.Cli.Simulation;

/// <summary>Writes a <see cref="StackResponse"/> as the machine-readable JSON object of <c>simulate --json</c> or as a table.</summary>
internal static class SimulationReport
{
    /// <summary>
    /// The JSON object <c>{"results":[{"wavelength_nm","R_x","T_x","A_x","R_y","T_y","A_y","A_avg"
    /// [,"on_rayleigh_anomaly":true,"solved_wavelength_nm"]}...],"absorption"}</c>, doubles in round-trip precision.
    /// A = 1 - R - T per polarisation, A_avg = (A_x + A_y) / 2, absorption = <see cref="StackResponse.Absorption"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The solver returned a non-finite number (JSON cannot hold it).</exception>
    public static string ToJson(StackResponse response)
    {
        EnsureFinite(response);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartArray("results");
            foreach (var w in response.Wavelengths)
            {
                json.WriteStartObject();
                json.WriteNumber("wavelength_nm", w.WavelengthNm);
                json.WriteNumber("R_x", w.X.Reflectance);
                json.WriteNumber("T_x", w.X.Transmittance);
                json.WriteNumber("A_x", w.X.Absorptance);
                json.WriteNumber("R_y", w.Y.Reflectance);
                json.WriteNumber("T_y", w.Y.Transmittance);
                json.WriteNumber("A_y", w.Y.Absorptance);
                json.WriteNumber("A_avg", w.AverageAbsorptance);
                if (w.OnRayleighAnomaly)
                {
                    json.WriteBoolean("on_rayleigh_anomaly", true);
                    json.WriteNumber("solved_wavelength_nm", w.SolvedWavelengthNm);
                }
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteNumber("absorption", response.Absorption);
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Renders the stack summary, one table row per wavelength, Rayleigh-anomaly warnings and the absorption.</summary>
    public static void WriteTable(IAnsiConsole console, OpticalStack stack, string patternPath, double volumeFraction, StackResponse response)
    {
        EnsureFinite(response);
        console.MarkupLineInterpolated(
            $"[bold]{stack.Name}[/]: period {F(stack.PeriodNm)} nm, {F(stack.Patterned.ThicknessNm)} nm of {stack.Patterned.MaterialA.Name} / {stack.Patterned.MaterialB.Name}, {stack.Superstrate.Name} above, {stack.Substrate.Name} below; {stack.Solver.Harmonics} harmonics, {stack.Solver.Factorization}");
        console.MarkupLineInterpolated($"pattern {patternPath}: volume fraction of material A {volumeFraction.ToString("F4", CultureInfo.InvariantCulture)}");

        var table = new Table().AddColumns("nm", "R_x", "T_x", "A_x", "R_y", "T_y", "A_y", "A_avg");
        foreach (var column in table.Columns) column.RightAligned();
        foreach (var w in response.Wavelengths)
        {
            table.AddRow(F(w.WavelengthNm) + (w.OnRayleighAnomaly ? " *" : ""),
                P(w.X.Reflectance), P(w.X.Transmittance), P(w.X.Absorptance),
                P(w.Y.Reflectance), P(w.Y.Transmittance), P(w.Y.Absorptance), P(w.AverageAbsorptance));
        }
        console.Write(table);
        foreach (var w in response.Wavelengths.Where(w => w.OnRayleighAnomaly))
        {
            console.MarkupLineInterpolated(
                $"[yellow]warning:[/] * {F(w.WavelengthNm)} nm lies on a Rayleigh anomaly (a diffraction order grazes the superstrate or substrate); it was solved at {w.SolvedWavelengthNm.ToString("R", CultureInfo.InvariantCulture)} nm.");
        }
        console.MarkupLineInterpolated(
            $"absorption (patterned layer, unpolarised, mean over {response.Wavelengths.Count} wavelengths): [bold]{response.Absorption.ToString("F6", CultureInfo.InvariantCulture)}[/]");
    }

    private static void EnsureFinite(StackResponse response)
    {
        foreach (var w in response.Wavelengths)
        {
            double[] values = [w.X.Reflectance, w.X.Transmittance, w.X.PatternedLayerAbsorptance, w.Y.Reflectance, w.Y.Transmittance, w.Y.PatternedLayerAbsorptance];
            if (!values.All(double.IsFinite))
                throw new InvalidOperationException($"the RCWA solver returned a non-finite reflectance, transmittance or absorptance at {w.WavelengthNm} nm.");
        }
    }

    private static string F(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    // Four decimals keep the eight columns within 80 characters; --json carries full precision.
    private static string P(double value) => value.ToString("F4", CultureInfo.InvariantCulture);
}
