using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetInverse.ML;
using MlNetInverse.ML.Generation;
using MlNetInverse.ML.Mdn;
using MlNetInverse.ML.Surrogate;
using MlNetInverse.ML.VqVae;
using MlNetInverse.Physics.Datasets;
using MlNetInverse.Physics.Runtime;
using MlNetInverse.Tests.Cli;
using MlNetInverse.Tests.ML;
using MlNetInverse.Tests.Models;
using MlNetInverse.Workflows.Generation;
using MlNetInverse.Workflows.Pipelines;

namespace MlNetInverse.Tests.Workflows;

/// <summary>
/// <c>train --pipeline</c> makes its model zip with the one generation estimator: the zip, loaded with
/// <c>mlContext.Model.Load</c>, is the chain <c>GenerateMicrostructures</c> returns on the stages' pieces with the
/// pipeline's generation options (calibrated, oversampled and screened here), step for step and design for design.
/// </summary>
[Collection(TorchDeterminismCollection.Name)]
public sealed class PipelineModelChainTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task GivenACalibratedScreenedPipeline_WhenItsModelZipIsLoaded_ThenItIsTheGenerationEstimatorsChainOnTheStagePieces()
    {
        var data = TrainingDatasetFile.WriteTo(_folder.File("train.parquet"));
        var labels = (await MicrostructureDatasetFile.ReadAsync(data)).Records.Select(r => r.Absorption).Order().ToArray();
        var pipeline = new TrainingPipeline
        {
            Name = "chain", Data = data, Seed = 3, Threads = 1, HeldOut = 0.25,
            Surrogate = new SurrogateSection { Epochs = 1, Batch = 16, BaseChannels = 2, HiddenUnits = 8 },
            Vqvae = new VqVaeSection { Epochs = 1, Batch = 16, LearningRate = 1e-2, CodebookSize = 16, CodeDim = 4, LatentGrid = 8, HiddenChannels = 4 },
            Mdn = new MdnSection { Components = 3, HiddenUnits = 16, Epochs = 1, Batch = 16 },
            Generation = new GenerationSection { Samples = 2, Oversampling = 2, Calibrate = true, Seed = 5, Targets = [labels[labels.Length / 2]] },
        };
        var result = await TrainingRun.RunAsync(pipeline, new TrainingRunOptions { OutputFolder = _folder.File("artifacts") });
        var mlContext = new MLContext(seed: 0);
        var targets = GenerationModel.TargetTable(mlContext, "Absorption", [labels[0], labels[labels.Length / 2], labels[^1]]);

        var zip = mlContext.Model.Load(result.Artifacts.Model, out _);
        using var surrogate = AbsorptionSurrogateTransformer.FindIn(mlContext.Inverse().LoadModel(result.Artifacts.Surrogate, out _))!;
        using var vqVae = VqVaeTransformer.FindIn(mlContext.Inverse().LoadModel(result.Artifacts.VqVae, out _))!;
        // The stage's MDN is not kept apart from the zip: the zip's, with its calibration removed, is the trained one.
        using var mdn = MdnTransformer.FindIn(zip)!.WithCalibration(null);
        TransformerChain<ITransformer> rebuilt;
        using (new TorchThreadScope(1))
            rebuilt = mlContext.Inverse().GenerateMicrostructures(pipeline.GenerationOptions(vqVae, surrogate, mdn)).Fit(targets);

        var steps = ((IEnumerable<ITransformer>)zip).Select(t => t.GetType()).ToArray();
        Assert.Equal([typeof(MdnTransformer), typeof(MicrostructureDecodeTransformer), typeof(SampleSelectionTransformer)], steps);
        Assert.Equal(rebuilt.Select(t => t.GetType()), steps);
        Assert.Equal(MdnTransformer.FindIn(rebuilt)!.Calibration!.Achieved, MdnTransformer.FindIn(zip)!.Calibration!.Achieved);
        Assert.Equal(4, MdnTransformer.FindIn(zip)!.SamplesPerTarget);
        foreach (var column in new[] { GenerationColumns.GeneratedImages, GenerationColumns.PredictedAbsorption, GenerationColumns.GeneratedLatents })
            Assert.Equal(InverseModelData.Bits(rebuilt.Transform(targets), column), InverseModelData.Bits(zip.Transform(targets), column));
        // Not trivially equal: the kept draws differ (a one-epoch VQ-VAE may still decode them to the same image).
        int l = MdnTransformer.FindIn(zip)!.LatentDimension;
        var kept = zip.Transform(targets).GetColumn<float[]>(GenerationColumns.GeneratedLatents).SelectMany(row => row.Chunk(l)).ToArray();
        Assert.Equal(6, kept.Length);
        Assert.Equal(kept.Length, kept.Select(latent => string.Join(",", latent)).Distinct().Count());
        rebuilt.Dispose();
    }
}
