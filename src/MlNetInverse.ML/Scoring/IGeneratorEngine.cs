namespace MlNetInverse.ML.Scoring;

/// <summary>
/// The two networks of the generator, run on batches in plain arrays: the MDN (condition → mixture) and the decoder
/// (latents → binarized images and surrogate absorption). Implemented on TorchSharp and on ONNX Runtime; sampling
/// between the two stays in .NET (<see cref="LatentSampler"/>), so both engines draw the same latents.
/// </summary>
internal interface IGeneratorEngine : IDisposable
{
    /// <summary>"torch" or "onnx", with the device, for reports.</summary>
    string Description { get; }

    /// <summary>Threads the engine computes on; sampling in .NET (normals, noise correlation) uses as many.</summary>
    int Threads { get; }

    /// <summary>Mixture components K.</summary>
    int Components { get; }

    /// <summary>Latent values L per sample.</summary>
    int LatentDimension { get; }

    /// <summary>Image edge S (pixels).</summary>
    int ImageSize { get; }

    /// <summary>The MDN's noise factors (one per noise band) when it draws correlated noise (<c>MdnOptions.CorrelatedNoise</c>), else null.</summary>
    MlNetInverse.Models.Mdn.NoiseFactors? NoiseFactors { get; }

    /// <summary>
    /// Targets per MDN call at <paramref name="samples"/> draws each, sized to keep its buffers small: the ONNX graph
    /// yields whole mixtures (K x L means and sigmas per target), the torch engine only the picked components (L each).
    /// </summary>
    int TargetsPerMixtureCall(int samples);

    /// <summary>The mixtures' log weights [B, K] for <paramref name="conditions"/> [B].</summary>
    void LogWeights(ReadOnlySpan<float> conditions, Span<float> logWeights);

    /// <summary>
    /// Means and sigmas [P, L] (raw latent units) of the picked components: draw p uses component
    /// <paramref name="components"/>[p] of the mixture for <paramref name="conditions"/>[<paramref name="rows"/>[p]].
    /// Sampling needs no other component, and the K x L heads are the MDN's main cost.
    /// </summary>
    void ChosenComponents(ReadOnlySpan<float> conditions, ReadOnlySpan<int> rows, ReadOnlySpan<int> components, Span<float> means, Span<float> sigmas);

    /// <summary>
    /// Decodes <paramref name="count"/> latents [count, L]: binarized images [count, S*S] (0/1, x-major) and, when
    /// <paramref name="absorption"/> is not empty, the surrogate's absorption [count] of each binarized image.
    /// </summary>
    void Decode(ReadOnlySpan<float> latents, int count, Span<float> images, Span<float> absorption);
}
