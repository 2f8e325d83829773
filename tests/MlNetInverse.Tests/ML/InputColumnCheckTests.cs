using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetInverse.ML.Schema;
using MlNetInverse.Tests.ML.Probe;

namespace MlNetInverse.Tests.ML;

/// <summary>Wrong inputs fail at Fit or GetOutputSchema with the column, the expected and the actual type.</summary>
public sealed class InputColumnCheckTests
{
    private sealed class WideRow
    {
        [VectorType(4)]
        public float[] Features { get; set; } = [];

        public float Label { get; set; }
    }

    private sealed class DoubleRow
    {
        [VectorType(3)]
        public double[] Features { get; set; } = [];

        public float Label { get; set; }
    }

    private sealed class VariableRow
    {
        public float[] Features { get; set; } = [];

        public float Label { get; set; }
    }

    [Fact]
    public void GivenAFittedTorchTransformer_WhenTheInputVectorHasAnotherSize_ThenGetOutputSchemaNamesColumnExpectedAndActual()
    {
        var mlContext = new MLContext(seed: 1);
        var model = ProbeData.Pipeline(mlContext, epochs: 5).Fit(mlContext.Data.LoadFromEnumerable(ProbeData.Rows(8)));
        var wide = mlContext.Data.LoadFromEnumerable([new WideRow { Features = [1, 2, 3, 4] }]);
        var probe = ((TransformerChain<LinearProbeTransformer>)model).LastTransformer;

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => probe.GetOutputSchema(wide.Schema));

        Assert.Contains("Input column 'Features' has type Vector<Single, 4>; expected Vector<Single, 3>.", error.Message);
    }

    [Fact]
    public void GivenTheProbeEstimator_WhenTheFeaturesAreDoubles_ThenFitNamesColumnExpectedAndActual()
    {
        var mlContext = new MLContext(seed: 1);
        var data = mlContext.Data.LoadFromEnumerable([new DoubleRow { Features = [1, 2, 3], Label = 1 }]);
        var estimator = new LinearProbeEstimator(mlContext, "Score", "Features", "Label", epochs: 5);

        var fit = Assert.Throws<ArgumentOutOfRangeException>(() => estimator.Fit(data));
        var shape = Assert.Throws<ArgumentOutOfRangeException>(() => estimator.GetOutputSchema(InputColumnCheck.ShapeOf(data.Schema)));

        Assert.Contains("Input column 'Features' has type Vector<Double, 3>; expected a known-size Vector<Single>.", fit.Message);
        Assert.Contains("Input column 'Features' has type Vector<Double> (known size); expected Vector<Single> (known size).", shape.Message);
    }

    [Fact]
    public void GivenTheProbeEstimator_WhenTheFeaturesHaveVariableSize_ThenGetOutputSchemaSaysSo()
    {
        var mlContext = new MLContext(seed: 1);
        var data = mlContext.Data.LoadFromEnumerable([new VariableRow { Features = [1, 2], Label = 1 }]);
        var estimator = new LinearProbeEstimator(mlContext, "Score", "Features", "Label", epochs: 5);

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => estimator.GetOutputSchema(InputColumnCheck.ShapeOf(data.Schema)));

        Assert.Contains("Input column 'Features' has type Vector<Single> (variable size); expected Vector<Single> (known size).", error.Message);
    }

    [Fact]
    public void GivenTheProbeEstimator_WhenTheLabelColumnIsMissing_ThenTheErrorListsTheColumnsThatExist()
    {
        var mlContext = new MLContext(seed: 1);
        var data = mlContext.Data.LoadFromEnumerable(ProbeData.Rows(4));
        var estimator = new LinearProbeEstimator(mlContext, "Score", "Features", "Absorption", epochs: 5);

        var fit = Assert.Throws<ArgumentOutOfRangeException>(() => estimator.Fit(data));
        var shape = Assert.Throws<ArgumentOutOfRangeException>(() => estimator.GetOutputSchema(InputColumnCheck.ShapeOf(data.Schema)));

        Assert.Contains("Label column 'Absorption' was not found; the input has 'Features', 'Label'.", fit.Message);
        Assert.Contains("Label column 'Absorption' was not found", shape.Message);
    }

    [Fact]
    public void GivenADisposedTorchTransformer_WhenItTransforms_ThenItThrowsObjectDisposed()
    {
        var mlContext = new MLContext(seed: 1);
        var data = mlContext.Data.LoadFromEnumerable(ProbeData.Rows(4));
        var model = ProbeData.Pipeline(mlContext, epochs: 5).Fit(data);
        ((TransformerChain<LinearProbeTransformer>)model).LastTransformer.Dispose();

        // ML.NET may read through parallel cursors and wrap the getter's exception.
        var error = Record.Exception(() => ProbeData.Scores(model, data));
        Assert.Contains(Chain(error), e => e is ObjectDisposedException);
    }

    private static IEnumerable<Exception> Chain(Exception? error)
    {
        for (var e = error; e != null; e = e.InnerException) yield return e;
    }
}
