using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetInverse.Tests.ML.Probe;

namespace MlNetInverse.Tests.ML;

/// <summary>Rows and a fitted chain for the persistence tests: NormalizeMinMax + the TorchSharp linear probe.</summary>
internal static class ProbeData
{
    public const int FeatureCount = 3;

    public sealed class Row
    {
        [VectorType(FeatureCount)]
        public float[] Features { get; set; } = [];

        public float Label { get; set; }
    }

    public sealed class Prediction
    {
        public float Score { get; set; }
    }

    /// <summary>A fixed linear target with a small deterministic wiggle, so the fit is not exact.</summary>
    public static Row[] Rows(int count, int offset = 0) => Enumerable.Range(offset, count).Select(i =>
    {
        float a = MathF.Sin(0.7f * i), b = MathF.Cos(1.3f * i) * 3, c = (i % 7) - 3f;
        return new Row { Features = [a, b, c], Label = 2 * a - 0.5f * b + 0.25f * c + 1 + 0.01f * MathF.Sin(11f * i) };
    }).ToArray();

    public static IEstimator<ITransformer> Pipeline(MLContext mlContext, int epochs = 200) =>
        mlContext.Transforms.NormalizeMinMax("Features")
            .Append(new LinearProbeEstimator(mlContext, "Score", "Features", "Label", epochs));

    /// <summary>The Score column of <paramref name="data"/> after <paramref name="model"/>.</summary>
    public static float[] Scores(ITransformer model, IDataView data) =>
        model.Transform(data).GetColumn<float>("Score").ToArray();
}
