namespace MlNetInverse.Models.VqVae;

/// <summary>Which encoder/decoder stacks a <see cref="VqVaeModel"/> uses.</summary>
public enum VqVaeArchitecture
{
    /// <summary>
    /// The PyTorch peer benchmark's stacks: stride-2 4x4 convolutions down, transposed convolutions up, zero padding.
    /// Fast, but its reconstructions show checkerboard and block artefacts.
    /// </summary>
    Peer,

    /// <summary>
    /// Circular padding everywhere (the unit cell is periodic), two residual blocks at the latent resolution on each
    /// side, and nearest-neighbour upsampling followed by 3x3 convolutions instead of transposed convolutions (no
    /// checkerboard artefacts).
    /// </summary>
    Residual,
}
