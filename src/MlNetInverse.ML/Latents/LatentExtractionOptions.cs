using MlNetInverse.ML.Data;

namespace MlNetInverse.ML.Latents;

/// <summary>Settings of <see cref="InverseCatalog.ExtractLatents(LatentExtractionOptions)"/>.</summary>
public sealed class LatentExtractionOptions
{
    /// <summary>The Parquet file to write (through a temp file in the same folder and a rename). Required; no default.</summary>
    public string? Path { get; set; }

    /// <summary>
    /// Sample id column (Int64) copied to the file's Id column. Default "Id". When the input has no such column (or
    /// this is null) the file's Id is the row number, 0-based.
    /// </summary>
    public string? IdColumnName { get; set; } = MicrostructureColumns.Id;

    /// <summary>Absorption label column (Single). Default "Absorption".</summary>
    public string AbsorptionColumnName { get; set; } = MicrostructureColumns.Absorption;

    /// <summary>Latent column (known-size Vector&lt;Single&gt;, e.g. the VQ-VAE's z_q). Default "Latent".</summary>
    public string LatentColumnName { get; set; } = MicrostructureColumns.Latent;

    /// <summary>Code index column (known-size Vector&lt;Int32&gt;). Default "CodeIndices"; null leaves the codes out of the file.</summary>
    public string? CodeIndicesColumnName { get; set; } = MicrostructureColumns.CodeIndices;

    /// <summary>
    /// More Single columns to write under their own names (e.g. the surrogate's absorption of each image's decoded
    /// reconstruction). Default null: none.
    /// </summary>
    public IReadOnlyList<string>? ExtraColumnNames { get; set; }

    /// <summary>Rows per Parquet row group (rows). Default 1024.</summary>
    public int RowGroupSize { get; set; } = 1024;

    /// <summary>Extra key/value metadata for the file footer. Default none.</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; set; }

    /// <summary>Receives the number of rows written so far, every 64 rows and at the end (not saved with the model). Default null.</summary>
    public IProgress<long>? Progress { get; set; }

    /// <summary>Cancels writing between rows; the file is then not written (not saved with the model). Default none.</summary>
    public CancellationToken CancellationToken { get; set; }
}
