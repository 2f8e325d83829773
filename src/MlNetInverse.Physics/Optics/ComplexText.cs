using System.Globalization;
using System.Numerics;
using System.Text.RegularExpressions;

namespace MlNetInverse.Physics.Optics;

/// <summary>Reads and writes complex numbers in the project's text form: <c>12+0.5i</c>, <c>2.25</c>, <c>-1-i</c>, <c>0.3i</c>.</summary>
public static partial class ComplexText
{
    [GeneratedRegex(@"^\s*(?<re>[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?)?\s*((?<sign>[+-])\s*(?<im>(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?)?\s*[ij])?\s*$")]
    private static partial Regex ComplexPattern();

    [GeneratedRegex(@"^\s*(?<im>[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?)?\s*[ij]\s*$")]
    private static partial Regex ImaginaryPattern();

    /// <summary>Parses a complex number; throws <see cref="FormatException"/> naming the text when it is not one.</summary>
    public static Complex Parse(string text)
    {
        if (TryParse(text, out var value)) return value;
        throw new FormatException($"'{text}' is not a complex number; write it like 12+0.5i, 2.25 or 0.3i.");
    }

    /// <summary>Tries to parse a complex number written like <c>12+0.5i</c>.</summary>
    public static bool TryParse(string? text, out Complex value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var imaginaryOnly = ImaginaryPattern().Match(text);
        if (imaginaryOnly.Success)
        {
            var im = imaginaryOnly.Groups["im"].Value;
            double imValue = im is "" or "+" ? 1 : im == "-" ? -1 : double.Parse(im, CultureInfo.InvariantCulture);
            value = new Complex(0, imValue);
            return true;
        }
        var match = ComplexPattern().Match(text);
        if (!match.Success || !match.Groups["re"].Success) return false;
        double re = double.Parse(match.Groups["re"].Value, CultureInfo.InvariantCulture);
        double imPart = 0;
        if (match.Groups["sign"].Success)
        {
            imPart = match.Groups["im"].Success ? double.Parse(match.Groups["im"].Value, CultureInfo.InvariantCulture) : 1.0;
            if (match.Groups["sign"].Value == "-") imPart = -imPart;
        }
        if (!double.IsFinite(re) || !double.IsFinite(imPart)) return false;
        value = new Complex(re, imPart);
        return true;
    }

    /// <summary>Formats like <c>12+0.5i</c> (round-trip precision, invariant culture).</summary>
    public static string Format(Complex value)
    {
        string re = value.Real.ToString("R", CultureInfo.InvariantCulture);
        if (value.Imaginary == 0) return re;
        string sign = value.Imaginary < 0 ? "-" : "+";
        return $"{re}{sign}{Math.Abs(value.Imaginary).ToString("R", CultureInfo.InvariantCulture)}i";
    }
}
