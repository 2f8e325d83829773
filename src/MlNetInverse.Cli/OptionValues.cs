using System.Globalization;
using MlNetInverse.Models.Devices;
using MlNetInverse.Physics.Optics;
using MlNetInverse.Physics.Rcwa;
using static MlNetInverse.Physics.Formatting.InvariantText;

namespace MlNetInverse.Cli;

/// <summary>Checks and converts option values; every failure is a <see cref="FormatException"/> whose message names the option and the value.</summary>
internal static class OptionValues
{
    /// <summary>A finite number &gt; 0, or null when not given.</summary>
    public static double? Positive(string option, double? value)
    {
        if (value is { } v && !(double.IsFinite(v) && v > 0))
            throw new FormatException($"{option} must be a positive finite number; got {Text(v)}.");
        return value;
    }

    /// <summary>A finite number &gt;= 0, or null when not given.</summary>
    public static double? NonNegative(string option, double? value)
    {
        if (value is { } v && !(double.IsFinite(v) && v >= 0))
            throw new FormatException($"{option} must be a finite number >= 0; got {Text(v)}.");
        return value;
    }

    /// <summary>The compute device named by --device: cpu, cuda or auto (any case).</summary>
    public static ComputeDevice Device(string text) => text.ToLowerInvariant() switch
    {
        "cpu" => ComputeDevice.Cpu,
        "cuda" => ComputeDevice.Cuda,
        "auto" => ComputeDevice.Auto,
        _ => throw new FormatException($"--device must be cpu, cuda or auto; got '{text}'."),
    };

    /// <summary>A whole number &gt;= 1.</summary>
    public static int AtLeastOne(string option, int value) =>
        value >= 1 ? value : throw new FormatException($"{option} must be at least 1; got {value}.");

    /// <summary>A complex permittivity like 12+0.5i, or null when not given.</summary>
    public static System.Numerics.Complex? Complex(string option, string? text)
    {
        if (text is null) return null;
        if (!ComplexText.TryParse(text, out var value))
            throw new FormatException($"{option}: '{text}' is not a complex number; write it like 12+0.5i, 2.25 or 0.3i.");
        return value;
    }

    /// <summary>A comma-separated list of positive wavelengths in nm, or null when not given.</summary>
    public static IReadOnlyList<double>? Wavelengths(string option, string? text)
    {
        if (text is null) return null;
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var values = new double[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value) || value <= 0)
                throw new FormatException($"{option}: '{parts[i]}' is not a positive number of nm; write a list like 400,500,600,700.");
            values[i] = value;
        }
        return values;
    }

    /// <summary>A harmonic count (2M+1)^2, or null when not given.</summary>
    public static int? Harmonics(string option, int? value)
    {
        if (value is not { } v) return null;
        try
        {
            RcwaOptions.HarmonicOrder(v);
        }
        catch (ArgumentException e)
        {
            throw new FormatException($"{option}: {e.Message}");
        }
        return v;
    }

    /// <summary>A comma-separated, increasing list of harmonic counts, each (2M+1)^2.</summary>
    public static IReadOnlyList<int> HarmonicsList(string option, string text)
    {
        var values = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
                throw new FormatException($"{option}: '{part}' is not a whole number; write a list like 49,81,121.");
            Harmonics(option, value);
            if (values.Count > 0 && value <= values[^1])
                throw new FormatException($"{option}: the list must increase; {value} follows {values[^1]}.");
            values.Add(value);
        }
        return values;
    }

    /// <summary>laurent or li, or null when not given.</summary>
    public static FourierFactorization? Factorization(string option, string? text)
    {
        if (text is null) return null;
        try
        {
            return OpticalStackFile.ParseFactorization(text);
        }
        catch (FormatException e)
        {
            throw new FormatException($"{option}: {e.Message}");
        }
    }
}
