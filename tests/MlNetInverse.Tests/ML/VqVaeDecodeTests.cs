using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetInverse.ML;
using MlNetInverse.ML.Data;
using MlNetInverse.ML.Schema;
using MlNetInverse.ML.VqVae;
using MlNetInverse.Tests.Models;

namespace MlNetInverse.Tests.ML;

[Collection(TorchDeterminismCollection.Name)]
public sealed class VqVaeDecodeTests : IDisposable
{
    private const int LatentLength = 4 * 16 * 16;
    private readonly MLContext _mlContext = new(seed: 1);
    private readonly IDataView _data;
    private readonly VqVaeTransformer _vqVae;

    public VqVaeDecodeTests()
    {
        _data = InverseModelData.View(_mlContext, 64);
        var options = InverseModelData.TinyVqVae(epochs: 3);
        options.ReconstructionColumnName = MicrostructureColumns.Reconstruction;
        _vqVae = _mlContext.Inverse().VqVae(options).Fit(_data);
    }

    public void Dispose() => _vqVae.Dispose();

    [Fact]
    public void GivenTheVqVaeLatent_WhenDecoded_ThenTheImageIsTheVqVaesReconstructionBitForBit()
    {
        var encoded = _vqVae.Transform(_data);
        using var decoder = _mlContext.Inverse().VqVaeDecode(_vqVae).Fit(encoded);

        var output = decoder.Transform(encoded);

        Assert.Equal(InverseModelData.Bits(output, MicrostructureColumns.Reconstruction), InverseModelData.Bits(output, MicrostructureColumns.DecodedImage));
    }

    [Fact]
    public void GivenLatentsMovedSlightlyOffTheirCodes_WhenDecoded_ThenTheyAreSnappedToTheSameCodes()
    {
        var latents = _vqVae.Transform(_data).GetColumn<float[]>(MicrostructureColumns.Latent).Take(8).ToArray();
        var random = new Random(3);
        var nudged = latents.Select(l => new LatentRow { Latent = l.Select(v => v + (float)(random.NextDouble() - 0.5) * 1e-3f).ToArray() }).ToArray();
        var exact = latents.Select(l => new LatentRow { Latent = l }).ToArray();
        var decoder = _mlContext.Inverse().VqVaeDecode(_vqVae).Fit(_mlContext.Data.LoadFromEnumerable(exact));

        var fromExact = InverseModelData.Bits(decoder.Transform(_mlContext.Data.LoadFromEnumerable(exact)), MicrostructureColumns.DecodedImage);
        var fromNudged = InverseModelData.Bits(decoder.Transform(_mlContext.Data.LoadFromEnumerable(nudged)), MicrostructureColumns.DecodedImage);

        Assert.Equal(fromExact, fromNudged);
    }

    [Fact]
    public void GivenBinarize_WhenDecoded_ThenPixelsAreZeroOrOneAndFollowTheSigmoidImage()
    {
        var encoded = _vqVae.Transform(_data);
        var decoder = _mlContext.Inverse().VqVaeDecode(_vqVae, outputColumnName: "Fabricated", binarize: true).Fit(encoded);

        var output = decoder.Transform(encoded);
        var sigmoid = output.GetColumn<float[]>(MicrostructureColumns.Reconstruction).ToArray();
        var binary = output.GetColumn<float[]>("Fabricated").ToArray();

        Assert.True(decoder.Binarize);
        Assert.Equal(sigmoid.Select(image => image.Select(p => p > 0.5f ? 1f : 0f)), binary);
    }

    [Fact]
    public void GivenALatentColumnOfTheWrongSize_WhenTheDecoderIsFitted_ThenTheErrorNamesColumnAndTypes()
    {
        var wrong = _mlContext.Data.LoadFromEnumerable(new[] { new ShortLatentRow() });
        var estimator = _mlContext.Inverse().VqVaeDecode(_vqVae);

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => estimator.Fit(wrong));

        Assert.Contains($"Input column 'Latent' has type Vector<Single, 10>; expected Vector<Single, {LatentLength}>.", error.Message);
    }

    [Fact]
    public void GivenAMissingLatentColumn_WhenTheEstimatorSchemaIsChecked_ThenTheErrorListsTheColumnsPresent()
    {
        var estimator = _mlContext.Inverse().VqVaeDecode(_vqVae, inputColumnName: "Sample");

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => estimator.GetOutputSchema(InputColumnCheck.ShapeOf(_data.Schema)));

        Assert.Contains("Input column 'Sample' was not found; the input has 'Image', 'Absorption'.", error.Message);
    }

    private sealed class LatentRow
    {
        [VectorType(LatentLength)]
        public float[] Latent { get; set; } = [];
    }

    private sealed class ShortLatentRow
    {
        [VectorType(10)]
        public float[] Latent { get; set; } = new float[10];
    }
}
