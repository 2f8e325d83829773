namespace MlNetInverse.ML.Scoring;

/// <summary>How generated images are stored in the scoring output.</summary>
public enum ScoreImageEncoding
{
    /// <summary>
    /// Binary column "image" of S*S/8 bytes per image: pixel i = x*S + y at bit (7 - i % 8) of byte i / 8, most
    /// significant bit first (Microstructure.ToPackedBits, the dataset's layout): 512 bytes for 64x64. The default.
    /// </summary>
    Packed,

    /// <summary>List column "image" of S*S float values 0/1 per image (x-major): 32 times larger, readable without unpacking.</summary>
    Float,
}
