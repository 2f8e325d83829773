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

    /// <summary>
    /// The peer's stacks and widths made periodic, at the peer's multiply-adds: circular padding in the encoder, and each
    /// transposed convolution folds its overhang back onto the opposite edge (<see cref="PeriodicConvTranspose2d"/>), so
    /// decoded unit cells join up at their edges (no seam) and shifting the latent grid by one cell shifts the image by
    /// whole cells.
    /// </summary>
    Periodic,
}
