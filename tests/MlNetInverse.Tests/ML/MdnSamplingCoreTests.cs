using Microsoft.ML.Data;
using MlNetInverse.ML.Generation;
using MlNetInverse.ML.Mdn;
using MlNetInverse.Tests.Models;
using MlNetInverse.Tests.Onnx;
using static TorchSharp.torch;

namespace MlNetInverse.Tests.ML;

/// <summary>
/// The MDN transformer draws through the engines' sampling core (LatentSampler) instead of the Models layer's
/// MixtureSampler; the draws must stay those of MixtureDensityNetwork.Sample, bit for bit, so saved models and the
/// quick pipeline's designs do not change.
/// </summary>
[Collection(TorchDeterminismCollection.Name)]
public sealed class MdnSamplingCoreTests
{
    [Fact]
    public void GivenTheMdnTransformer_WhenItDrawsForManyTargets_ThenEveryValueEqualsMixtureDensityNetworkSample()
    {
        using var generator = TinyGenerator.Create(samples: 7);
        float[] targets = [0.2f, 0.31f, 0.4f, 0.5f, 0.55f, 0.61f, 0.7f, 0.79f, 0.9f];
        var latents = generator.Mdn.Transform(generator.Targets(targets)).GetColumn<float[]>(GenerationColumns.GeneratedLatents).ToArray();

        for (int t = 0; t < targets.Length; t++)
        {
            using var scope = NewDisposeScope();
            var expected = generator.Mdn.Network.Sample(tensor(new[] { targets[t] }), 7, MdnTransformer.RowSeed(generator.Mdn.SamplingSeed, targets[t]))
                .contiguous().data<float>().ToArray();
            Assert.Equal(expected.Select(BitConverter.SingleToInt32Bits), latents[t].Select(BitConverter.SingleToInt32Bits));
        }
    }
}
