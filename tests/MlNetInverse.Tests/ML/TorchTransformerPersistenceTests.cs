using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetInverse.ML;
using MlNetInverse.ML.Schema;
using MlNetInverse.Tests.Cli;
using MlNetInverse.Tests.ML.Probe;

namespace MlNetInverse.Tests.ML;

public sealed class TorchTransformerPersistenceTests
{
    [Fact]
    public void GivenAFittedChainWithATorchTransformer_WhenSavedAndLoadedInAFreshContext_ThenOutputsAreBitIdentical()
    {
        using var folder = new TempFolder();
        var trainContext = new MLContext(seed: 1);
        var train = trainContext.Data.LoadFromEnumerable(ProbeData.Rows(64));
        var model = ProbeData.Pipeline(trainContext).Fit(train);
        var before = ProbeData.Scores(model, train);
        var path = folder.File("probe.zip");
        trainContext.Inverse().SaveModel(model, train.Schema, path);

        var freshContext = new MLContext(seed: 99);
        var loaded = freshContext.Inverse().LoadModel(path, out var inputSchema);
        var after = ProbeData.Scores(loaded, freshContext.Data.LoadFromEnumerable(ProbeData.Rows(64)));

        Assert.Equal(ProbeData.FeatureCount, ((VectorDataViewType)inputSchema["Features"].Type).Size);
        Assert.Equal(before.Select(BitConverter.SingleToInt32Bits), after.Select(BitConverter.SingleToInt32Bits));
        // The fit is real: the probe explains the linear target.
        var labels = ProbeData.Rows(64).Select(r => r.Label).ToArray();
        Assert.True(before.Zip(labels).Max(p => Math.Abs(p.First - p.Second)) < 0.1, "the probe did not fit its target");
    }

    [Fact]
    public void GivenASavedChain_WhenLoadedInAFreshProcess_ThenOutputsAreBitIdentical()
    {
        using var folder = new TempFolder();
        var mlContext = new MLContext(seed: 1);
        var train = mlContext.Data.LoadFromEnumerable(ProbeData.Rows(64));
        var model = ProbeData.Pipeline(mlContext).Fit(train);
        var path = folder.File("probe.zip");
        mlContext.Inverse().SaveModel(model, train.Schema, path);

        var child = FreshProcessModelRun.Scores(path, folder.File("scores.txt"));

        Assert.Equal(ProbeData.Scores(model, train).Select(BitConverter.SingleToInt32Bits), child.Select(BitConverter.SingleToInt32Bits));
    }

    [Fact]
    public void GivenALoadedModel_WhenUsedThroughAPredictionEngine_ThenItPredictsLikeTheOriginal()
    {
        using var folder = new TempFolder();
        var mlContext = new MLContext(seed: 1);
        var train = mlContext.Data.LoadFromEnumerable(ProbeData.Rows(32));
        var model = ProbeData.Pipeline(mlContext).Fit(train);
        var path = folder.File("probe.zip");
        mlContext.Model.Save(model, train.Schema, path);

        var loaded = new MLContext().Model.Load(path, out _);
        using var engine = new MLContext().Model.CreatePredictionEngine<ProbeData.Row, ProbeData.Prediction>(loaded);
        var rows = ProbeData.Rows(5, offset: 100);
        var expected = ProbeData.Scores(model, mlContext.Data.LoadFromEnumerable(rows));

        for (int i = 0; i < rows.Length; i++)
            Assert.Equal(BitConverter.SingleToInt32Bits(expected[i]), BitConverter.SingleToInt32Bits(engine.Predict(rows[i]).Score));
    }

    [Fact]
    public void GivenAFittedChain_WhenAskedForItsOutputSchema_ThenTheTorchColumnIsASingleNextToTheInputs()
    {
        var mlContext = new MLContext(seed: 1);
        var train = mlContext.Data.LoadFromEnumerable(ProbeData.Rows(16));
        var estimator = ProbeData.Pipeline(mlContext, epochs: 5);

        var shape = estimator.GetOutputSchema(InputColumnCheck.ShapeOf(train.Schema));
        var schema = estimator.Fit(train).GetOutputSchema(train.Schema);

        var score = Assert.Single(shape, c => c.Name == "Score");
        Assert.Equal(SchemaShape.Column.VectorKind.Scalar, score.Kind);
        Assert.Equal(NumberDataViewType.Single, score.ItemType);
        Assert.Equal(NumberDataViewType.Single, schema["Score"].Type);
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, ProbeData.FeatureCount), schema["Features"].Type);
    }
}
