namespace MlNetInverse.ML.Mdn;

/// <summary>Settings of <see cref="InverseCatalog.CalibrateMdn(MdnTransformer, Generation.MicrostructureDecodeTransformer, MdnCalibrationOptions?)"/>.</summary>
public sealed record MdnCalibrationOptions
{
    /// <summary>Conditioning values, evenly spread over the MDN's training absorption range (points). Default 24.</summary>
    public int GridPoints { get; init; } = 24;

    /// <summary>Designs drawn and decoded per conditioning value (designs). Default 64.</summary>
    public int DrawsPerPoint { get; init; } = 64;

    /// <summary>Seed of the calibration draws (apart from the generation seed). Default 0.</summary>
    public long Seed { get; init; }

    /// <summary>Checks the options.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Fewer than 2 grid points or 1 draw.</exception>
    public void Validate()
    {
        if (GridPoints < 2) throw new ArgumentOutOfRangeException(nameof(GridPoints), GridPoints, $"MdnCalibrationOptions.GridPoints must be at least 2; got {GridPoints}.");
        if (DrawsPerPoint < 1) throw new ArgumentOutOfRangeException(nameof(DrawsPerPoint), DrawsPerPoint, $"MdnCalibrationOptions.DrawsPerPoint must be at least 1; got {DrawsPerPoint}.");
    }
}
