using MlNetInverse.Models.Training;
using MlNetInverse.Models.VqVae;

namespace MlNetInverse.Tests.Models;

/// <summary>A VQ-VAE whose training cannot fit is refused from its options before the model is allocated.</summary>
public sealed class VqVaeMemoryEstimateTests
{
    [Fact]
    public void GivenAnAbsurdCodebook_WhenATrainerIsCreated_ThenOneLineGivesTheEstimateAndTheAvailableMemory()
    {
        var options = new VqVaeOptions { ImageSize = 64, LatentGridSize = 8, CodeDimension = 8, HiddenChannels = 16, CodebookSize = 100_000_000 };

        var refused = Assert.Throws<InsufficientMemoryException>(() => new VqVaeTrainer(options, new VqVaeTrainingOptions { BatchSize = 64 }));

        Assert.Matches(@"^VQ-VAE training \(codebook_size 100000000, .*\) needs about [0-9.E+]+ GB .*; this machine has [0-9.]+ GB available\. Use a smaller codebook_size", refused.Message);
        Assert.DoesNotContain('\n', refused.Message);
    }

    [Fact]
    public void GivenTheQuickPipelinesSizes_WhenATrainerIsCreated_ThenItIsNotRefusedAndTheEstimateGrowsWithTheCodebook()
    {
        var options = new VqVaeOptions { ImageSize = 64, LatentGridSize = 8, CodeDimension = 8, HiddenChannels = 16, CodebookSize = 512 };

        _ = new VqVaeTrainer(options, new VqVaeTrainingOptions { BatchSize = 64 });

        Assert.True(options.EstimateTrainingBytes(64) < (options with { CodebookSize = 1024 }).EstimateTrainingBytes(64));
        Assert.True(options.EstimateTrainingBytes(64) < 1e9, $"{options.EstimateTrainingBytes(64)}");
    }
}
