using Parquet.Schema;

namespace MlNetInverse.Physics.Datasets;

/// <summary>
/// The Parquet columns of a microstructure dataset (format version 1), in file order:
/// id int64, family string, mean_wavenumber double, std_wavenumber double, volume_fraction double, seed int64,
/// absorption double, microstructure binary (Size*Size/8 bytes, <see cref="Microstructures.Microstructure.ToPackedBits"/>),
/// wavelength_absorption list&lt;double&gt;. Every column is required (no nulls).
/// </summary>
internal static class MicrostructureDatasetSchema
{
    public const string IdColumn = "id";
    public const string FamilyColumn = "family";
    public const string MeanWavenumberColumn = "mean_wavenumber";
    public const string StdWavenumberColumn = "std_wavenumber";
    public const string VolumeFractionColumn = "volume_fraction";
    public const string SeedColumn = "seed";
    public const string AbsorptionColumn = "absorption";
    public const string MicrostructureColumn = "microstructure";
    public const string WavelengthAbsorptionColumn = "wavelength_absorption";

    public static readonly DataField<long> Id = new(IdColumn, false);
    public static readonly DataField<string> Family = new(FamilyColumn, false);
    public static readonly DataField<double> MeanWavenumber = new(MeanWavenumberColumn, false);
    public static readonly DataField<double> StdWavenumber = new(StdWavenumberColumn, false);
    public static readonly DataField<double> VolumeFraction = new(VolumeFractionColumn, false);
    public static readonly DataField<long> Seed = new(SeedColumn, false);
    public static readonly DataField<double> Absorption = new(AbsorptionColumn, false);
    public static readonly DataField<byte[]> Microstructure = new(MicrostructureColumn, false);
    public static readonly DataField<double> WavelengthAbsorptionElement = new("element", false);
    public static readonly ListField WavelengthAbsorption = new(WavelengthAbsorptionColumn, WavelengthAbsorptionElement);

    public static readonly ParquetSchema Schema = new(
        Id, Family, MeanWavenumber, StdWavenumber, VolumeFraction, Seed, Absorption, Microstructure, WavelengthAbsorption);

    /// <summary>Column name and the type it must have, as <see cref="Describe"/> writes it.</summary>
    private static readonly (string Name, string Type)[] Expected =
    [
        (IdColumn, "int64"), (FamilyColumn, "string"), (MeanWavenumberColumn, "double"), (StdWavenumberColumn, "double"),
        (VolumeFractionColumn, "double"), (SeedColumn, "int64"), (AbsorptionColumn, "double"),
        (MicrostructureColumn, "binary"), (WavelengthAbsorptionColumn, "list<double>"),
    ];

    /// <summary>
    /// Finds each expected column among the file's data fields (a list column by its top-level name) and checks its
    /// type; <see cref="InvalidDataException"/> names a missing column, or the expected and actual type.
    /// </summary>
    public static DatasetColumns Resolve(ParquetSchema schema, string source)
    {
        var found = new DataField[Expected.Length];
        for (int i = 0; i < Expected.Length; i++)
        {
            var (name, type) = Expected[i];
            var field = schema.DataFields.FirstOrDefault(f => f.Path.FirstPart == name)
                ?? throw new InvalidDataException(
                    $"'{source}' has no column '{name}'; a microstructure dataset needs {string.Join(", ", Expected.Select(e => $"{e.Name} {e.Type}"))}.");
            string actual = Describe(field);
            if (actual != type)
                throw new InvalidDataException($"'{source}': column '{name}' is {actual}; expected {type}.");
            found[i] = field;
        }
        return new DatasetColumns(found[0], found[1], found[2], found[3], found[4], found[5], found[6], found[7], found[8]);
    }

    /// <summary>A short type name: int64, double, string, binary, list&lt;double&gt;, with "optional " for nullable scalars.</summary>
    public static string Describe(DataField field)
    {
        var t = field.ClrType;
        string name = t == typeof(long) ? "int64"
            : t == typeof(int) ? "int32"
            : t == typeof(double) ? "double"
            : t == typeof(float) ? "float"
            : t == typeof(bool) ? "boolean"
            : t == typeof(string) || t == typeof(ReadOnlyMemory<char>) ? "string"
            : t == typeof(byte[]) || t == typeof(ReadOnlyMemory<byte>) ? "binary"
            : t.Name;
        if (field.MaxRepetitionLevel > 0) return $"list<{name}>";
        return field.IsNullable ? $"optional {name}" : name;
    }

    /// <summary>The file's own fields for the dataset columns, in schema order.</summary>
    public sealed record DatasetColumns(
        DataField Id, DataField Family, DataField MeanWavenumber, DataField StdWavenumber, DataField VolumeFraction,
        DataField Seed, DataField Absorption, DataField Microstructure, DataField WavelengthAbsorption);
}
