namespace MlNetInverse.ML.Scoring;

/// <summary>
/// One block of scored targets, the contents of one output row group: for each of its targets (input rows
/// <see cref="FirstRow"/> ..), <see cref="Samples"/> images, target-major (target t's sample n is image t*N + n).
/// </summary>
internal sealed class ScoredBlock
{
    public required long FirstRow { get; init; }

    public required int Samples { get; init; }

    public required int ImageSize { get; init; }

    public required float[] Targets { get; init; }

    public required bool[] InTrainingRange { get; init; }

    /// <summary>Packed images (<see cref="ScoreImageEncoding.Packed"/>), one array per image; null for float output.</summary>
    public byte[][]? PackedImages { get; init; }

    /// <summary>Float images [targets * N * S * S] (<see cref="ScoreImageEncoding.Float"/>); null for packed output.</summary>
    public float[]? FloatImages { get; init; }

    /// <summary>Surrogate absorption per image, or null when not predicted.</summary>
    public float[]? Absorption { get; init; }

    public int ImageCount => Targets.Length * Samples;
}
