using MlNetInverse.ML.Data;
using MlNetInverse.Models.Devices;

namespace MlNetInverse.ML.VqVae;

/// <summary>Settings of <see cref="InverseCatalog.VqVaeDecode(VqVaeTransformer, VqVaeDecodeOptions)"/>.</summary>
public sealed class VqVaeDecodeOptions
{
    /// <summary>Image column to write (Vector&lt;Single, S*S&gt;). Default "DecodedImage".</summary>
    public string OutputColumnName { get; set; } = MicrostructureColumns.DecodedImage;

    /// <summary>
    /// Latent column to read (Vector&lt;Single, D*G*G&gt;, layout of the VQ-VAE's latent column). Default null: the
    /// VQ-VAE transformer's latent column name ("Latent" unless renamed).
    /// </summary>
    public string? InputColumnName { get; set; }

    /// <summary>
    /// Binarize the decoded image at 0.5 (pixel &gt; 0.5 becomes 1, else 0), as a fabricated two-phase structure.
    /// Default false: the decoder's sigmoid output in (0, 1).
    /// </summary>
    public bool Binarize { get; set; }

    /// <summary>Where the decoder runs. Default <see cref="ComputeDevice.Cpu"/>.</summary>
    public ComputeDevice Device { get; set; } = ComputeDevice.Cpu;
}
