using System.Collections.Concurrent;
using Microsoft.ML;
using MlNetInverse.ML;
using MlNetInverse.ML.Mdn;
using MlNetInverse.Models.Mdn;
using MlNetInverse.Models.Surrogate;
using MlNetInverse.Models.Training;
using MlNetInverse.Models.VqVae;
using MlNetInverse.Tests.Models;

namespace MlNetInverse.Tests.ML;

/// <summary>ML.NET habits of the training estimators: epoch lines on <c>MLContext.Log</c>, <c>CancelExecution()</c> stops Fit.</summary>
[Collection(TorchDeterminismCollection.Name)]
public sealed class TrainingLogAndCancellationTests
{
    private static MdnEstimatorOptions TinyMdn(int epochs) => new()
    {
        Network = new MdnOptions { Components = 2, HiddenUnits = 8 },
        Training = new MdnTrainingOptions { Epochs = epochs, BatchSize = 32, Threads = 1 },
        SamplesPerTarget = 2,
    };

    [Fact]
    public void GivenALogHandler_WhenTheSurrogateVqVaeAndMdnAreFitted_ThenItReceivesOneLinePerEpochOfEach()
    {
        var mlContext = new MLContext(seed: 0);
        var messages = new ConcurrentQueue<string>();
        mlContext.Log += (_, e) => messages.Enqueue(e.Message);
        var data = InverseModelData.View(mlContext, 32);

        using var surrogate = mlContext.Inverse().AbsorptionSurrogate(InverseModelData.TinySurrogate(epochs: 2)).Fit(data);
        using var vqVae = mlContext.Inverse().VqVae(InverseModelData.TinyVqVae(epochs: 2)).Fit(data);
        using var mdn = mlContext.Inverse().Mdn(TinyMdn(epochs: 3)).Fit(LatentSamples.View(mlContext, 64));

        Assert.Equal(2, messages.Count(m => m.Contains("Surrogate epoch ") && m.Contains("/2: training loss")));
        Assert.Equal(2, messages.Count(m => m.Contains("VQ-VAE epoch ") && m.Contains("/2: loss")));
        Assert.Equal(3, messages.Count(m => m.Contains("MDN epoch ") && m.Contains("/3: training NLL")));
    }

    [Fact]
    public void GivenCancelExecutionAfterTheFirstEpoch_WhenTheMdnIsFitted_ThenFitStopsWithOperationCanceledException()
    {
        var mlContext = new MLContext(seed: 0);
        var epochs = new List<MdnEpochMetrics>();
        var options = TinyMdn(epochs: 50);
        options.Progress = new Synchronous<MdnEpochMetrics>(m =>
        {
            epochs.Add(m);
            mlContext.CancelExecution();
        });

        Assert.ThrowsAny<OperationCanceledException>(() => mlContext.Inverse().Mdn(options).Fit(LatentSamples.View(mlContext, 64)));

        Assert.Single(epochs);
    }

    [Fact]
    public void GivenCancelExecutionFromAnotherThreadWhileTraining_WhenTheVqVaeIsFitted_ThenFitStopsLongBeforeItsEpochsEnd()
    {
        var mlContext = new MLContext(seed: 0);
        var data = InverseModelData.View(mlContext, 64);
        var options = InverseModelData.TinyVqVae(epochs: 2000); // minutes of training if the cancel were not honoured
        var finished = new List<EpochMetrics>();
        options.Progress = new Synchronous<EpochMetrics>(finished.Add);
        using var cancel = new Timer(_ => mlContext.CancelExecution(), null, 500, Timeout.Infinite);

        Assert.ThrowsAny<OperationCanceledException>(() => mlContext.Inverse().VqVae(options).Fit(data));

        Assert.InRange(finished.Count, 0, 1000);
    }

    [Fact]
    public void GivenAContextCancelledBeforeFit_WhenTheSurrogateIsFitted_ThenNoEpochRuns()
    {
        var mlContext = new MLContext(seed: 0);
        var data = InverseModelData.View(mlContext, 32);
        var finished = new List<SurrogateEpochMetrics>();
        var options = InverseModelData.TinySurrogate(epochs: 2);
        options.Progress = new Synchronous<SurrogateEpochMetrics>(finished.Add);
        mlContext.CancelExecution();

        Assert.ThrowsAny<OperationCanceledException>(() => mlContext.Inverse().AbsorptionSurrogate(options).Fit(data));

        Assert.Empty(finished);
    }

    /// <summary>Progress reported on the training thread (Progress&lt;T&gt; would post to the thread pool).</summary>
    private sealed class Synchronous<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
