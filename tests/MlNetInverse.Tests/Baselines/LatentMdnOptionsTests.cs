using System.Text.Json;
using MlNetInverse.Baselines.GanMdn;
using MlNetInverse.Baselines.PcaMdn;

namespace MlNetInverse.Tests.Baselines;

public sealed class LatentMdnOptionsTests
{
    private static string[] PropertyNames<T>(T value)
    {
        using var json = JsonDocument.Parse(JsonSerializer.Serialize(value));
        return json.RootElement.EnumerateObject().Select(p => p.Name).ToArray();
    }

    [Fact]
    public void GivenPcaMdnAndGanMdnOptions_WhenWrittenAsJson_ThenTheLatentSpaceComesFirst_AndTheSharedSettingsFollowInTheSavedOrder()
    {
        // The saved file's header holds these options: the order they were written in before the two shared one options record.
        string[] shared = ["Mdn", "MdnTraining", "Binarization", "Seed", "Device", "Threads"];
        Assert.Equal(["ImageSize", "Components", .. shared], PropertyNames(new PcaMdnOptions()));
        Assert.Equal(["Gan", "LabelledSamples", .. shared], PropertyNames(new GanMdnOptions()));
    }

    [Fact]
    public void GivenASharedSettingOutOfRange_WhenEitherBaselineValidates_ThenTheMessageNamesItsOwnOptionsType()
    {
        Assert.StartsWith("PcaMdnOptions.Threads", Assert.ThrowsAny<ArgumentException>(() => new PcaMdnOptions { Threads = -1 }.Validate()).Message);
        Assert.StartsWith("GanMdnOptions.Threads", Assert.ThrowsAny<ArgumentException>(() => new GanMdnOptions { Threads = -1 }.Validate()).Message);
        Assert.StartsWith("GanMdnOptions.LabelledSamples", Assert.ThrowsAny<ArgumentException>(() => new GanMdnOptions { LabelledSamples = 1 }.Validate()).Message);
    }
}
