using System.Globalization;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using MlNetInverse.Physics.Rcwa;

namespace MlNetInverse.Physics.Optics;

/// <summary>
/// Reads and writes optical stacks as JSON (see pipelines/stacks/). Unknown keys and wrong types are errors that
/// name the key, so a typo never silently falls back to a default.
/// </summary>
public static class OpticalStackFile
{
    private static readonly JsonSerializerOptions Options = new()
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Loads a stack file; errors name the file and the offending key.</summary>
    public static OpticalStack Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Stack file '{path}' does not exist.", path);
        try
        {
            return Parse(File.ReadAllText(path));
        }
        catch (Exception e) when (e is JsonException or ArgumentException or FormatException)
        {
            throw new FormatException($"Stack file '{path}': {e.Message}", e);
        }
    }

    /// <summary>Parses stack JSON.</summary>
    public static OpticalStack Parse(string json)
    {
        StackDocument document;
        try
        {
            document = JsonSerializer.Deserialize<StackDocument>(json, Options)
                ?? throw new FormatException("the stack JSON is empty.");
        }
        catch (JsonException e)
        {
            throw new FormatException($"invalid stack JSON at {e.Path ?? "$"}: {e.Message.Split(" Path:")[0]}", e);
        }
        return document.ToStack();
    }

    /// <summary>Writes a stack as JSON that <see cref="Parse"/> reads back to an equal stack.</summary>
    public static string ToJson(OpticalStack stack)
    {
        var materials = new Dictionary<string, MaterialDocument>();
        string Name(Material m)
        {
            if (!materials.ContainsKey(m.Name)) materials[m.Name] = MaterialDocument.From(m);
            return m.Name;
        }
        var document = new StackDocument
        {
            Name = stack.Name,
            PeriodNm = stack.PeriodNm,
            Superstrate = Name(stack.Superstrate),
            Above = stack.LayersAbove.Select(l => new LayerDocument { Material = Name(l.Material), ThicknessNm = l.ThicknessNm }).ToList(),
            PatternedLayer = new PatternedDocument
            {
                MaterialA = Name(stack.Patterned.MaterialA),
                MaterialB = Name(stack.Patterned.MaterialB),
                ThicknessNm = stack.Patterned.ThicknessNm,
            },
            Below = stack.LayersBelow.Select(l => new LayerDocument { Material = Name(l.Material), ThicknessNm = l.ThicknessNm }).ToList(),
            Substrate = Name(stack.Substrate),
            WavelengthsNm = stack.WavelengthsNm.ToList(),
            Solver = new SolverDocument { Harmonics = stack.Solver.Harmonics, Factorization = stack.Solver.Factorization.ToString().ToLowerInvariant() },
        };
        document.Materials = materials;
        return JsonSerializer.Serialize(document, Options);
    }

    /// <summary>Parses a factorization name (laurent | li).</summary>
    public static FourierFactorization ParseFactorization(string text) => text.Trim().ToLowerInvariant() switch
    {
        "laurent" => FourierFactorization.Laurent,
        "li" => FourierFactorization.Li,
        _ => throw new FormatException($"factorization '{text}' is unknown; use laurent or li."),
    };

    private sealed class StackDocument
    {
        public string? Name { get; set; }
        public string? Description { get; set; }
        public double? PeriodNm { get; set; }
        public Dictionary<string, MaterialDocument>? Materials { get; set; }
        public string? Superstrate { get; set; }
        public List<LayerDocument>? Above { get; set; }
        public PatternedDocument? PatternedLayer { get; set; }
        public List<LayerDocument>? Below { get; set; }
        public string? Substrate { get; set; }
        public List<double>? WavelengthsNm { get; set; }
        public SolverDocument? Solver { get; set; }

        public OpticalStack ToStack()
        {
            var materials = (Materials ?? new()).ToDictionary(kv => kv.Key, kv => kv.Value.ToMaterial(kv.Key));
            Material Find(string? name, string role)
            {
                if (string.IsNullOrWhiteSpace(name)) throw new FormatException($"'{role}' needs a material name.");
                if (materials.TryGetValue(name, out var m)) return m;
                throw new FormatException($"'{role}' names material '{name}', which is not defined under 'materials'.");
            }
            if (PatternedLayer is null) throw new FormatException("'patterned_layer' is required.");
            var stack = new OpticalStack
            {
                Name = Name ?? "custom",
                PeriodNm = PeriodNm ?? throw new FormatException("'period_nm' is required."),
                Superstrate = Find(Superstrate, "superstrate"),
                LayersAbove = (Above ?? new()).Select((l, i) => l.ToLayer(Find(l.Material, $"above[{i}].material"))).ToArray(),
                Patterned = new PatternedLayer(
                    Find(PatternedLayer.MaterialA, "patterned_layer.material_a"),
                    Find(PatternedLayer.MaterialB, "patterned_layer.material_b"),
                    PatternedLayer.ThicknessNm ?? throw new FormatException("'patterned_layer.thickness_nm' is required.")),
                LayersBelow = (Below ?? new()).Select((l, i) => l.ToLayer(Find(l.Material, $"below[{i}].material"))).ToArray(),
                Substrate = Find(Substrate, "substrate"),
                WavelengthsNm = WavelengthsNm ?? throw new FormatException("'wavelengths_nm' is required."),
                Solver = Solver?.ToOptions() ?? new RcwaOptions(),
            };
            stack.Validate();
            return stack;
        }
    }

    private sealed class LayerDocument
    {
        public string? Material { get; set; }
        public double? ThicknessNm { get; set; }

        public UniformLayer ToLayer(Material material) =>
            new(material, ThicknessNm ?? throw new FormatException($"layer of '{material.Name}' needs 'thickness_nm'."));
    }

    private sealed class PatternedDocument
    {
        public string? MaterialA { get; set; }
        public string? MaterialB { get; set; }
        public double? ThicknessNm { get; set; }
    }

    private sealed class SolverDocument
    {
        public int? Harmonics { get; set; }
        public string? Factorization { get; set; }

        public RcwaOptions ToOptions()
        {
            var options = new RcwaOptions
            {
                Harmonics = Harmonics ?? 121,
                Factorization = Factorization is null ? FourierFactorization.Laurent : ParseFactorization(Factorization),
            };
            options.Validate();
            return options;
        }
    }

    private sealed class MaterialDocument
    {
        /// <summary>Constant permittivity, e.g. "12+0.5i".</summary>
        public string? Eps { get; set; }
        /// <summary>Constant refractive index (with <see cref="K"/>).</summary>
        public double? N { get; set; }
        public double? K { get; set; }
        /// <summary>Rows of [wavelength nm, n, k], interpolated linearly.</summary>
        public List<double[]>? NkTable { get; set; }
        /// <summary>Where the values come from (free text, kept for provenance).</summary>
        public string? Source { get; set; }

        public Material ToMaterial(string name)
        {
            int forms = (Eps is null ? 0 : 1) + (N is null ? 0 : 1) + (NkTable is null ? 0 : 1);
            if (forms != 1) throw new FormatException($"material '{name}' needs exactly one of 'eps', 'n' (with optional 'k') or 'nk_table'.");
            if (Eps is not null) return Material.Constant(name, ComplexText.Parse(Eps));
            if (N is not null)
            {
                var index = new Complex(N.Value, K ?? 0);
                return Material.Constant(name, index * index);
            }
            var rows = NkTable!.Select((r, i) => r.Length == 3 ? (r[0], r[1], r[2])
                : throw new FormatException($"material '{name}': nk_table row {i + 1} needs [wavelength_nm, n, k].")).ToArray();
            return new TabulatedMaterial(name, rows);
        }

        public static MaterialDocument From(Material m) => m switch
        {
            ConstantMaterial c => new MaterialDocument { Eps = ComplexText.Format(c.Value) },
            TabulatedMaterial t => new MaterialDocument { NkTable = t.Table.Select(r => new[] { r.WavelengthNm, r.N, r.K }).ToList() },
            _ => throw new ArgumentException($"material '{m.Name}' of type {m.GetType().Name} cannot be written to JSON."),
        };
    }
}
