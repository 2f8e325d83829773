using System.ComponentModel;
using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using MlNetInverse.Cli.Commands;
using Spectre.Console.Cli;

namespace MlNetInverse.Tests.Cli;

/// <summary>
/// --help states each option's default in its description ("Default 512."); the value the command gets is the
/// property's initial value, for model settings the model options' own default. The two must agree.
/// </summary>
public sealed partial class CliOptionDefaultsTests
{
    public static TheoryData<string> SettingsTypes()
    {
        var data = new TheoryData<string>();
        foreach (var type in typeof(TrainVqVaeSettings).Assembly.GetTypes()
                     .Where(t => typeof(CommandSettings).IsAssignableFrom(t) && !t.IsAbstract && t.GetConstructor(Type.EmptyTypes) is not null)
                     .OrderBy(t => t.FullName, StringComparer.Ordinal))
            data.Add(type.FullName!);
        return data;
    }

    [Theory]
    [MemberData(nameof(SettingsTypes))]
    public void GivenACommandsSettings_WhenItsOptionsAreRead_ThenEveryDefaultThatHelpStatesIsTheValueTheCommandGets(string typeName)
    {
        var type = typeof(TrainVqVaeSettings).Assembly.GetType(typeName)!;
        var settings = Activator.CreateInstance(type)!;
        var wrong = new List<string>();
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetCustomAttribute<CommandOptionAttribute>() is null) continue;
            if (property.GetCustomAttribute<DescriptionAttribute>()?.Description is not { } description) continue;
            if (StatedDefault().Match(description) is not { Success: true } match) continue;
            string stated = match.Groups["value"].Value;
            object? actual = property.GetValue(settings);
            if (!Agrees(stated, actual))
                wrong.Add($"{property.Name}: help says 'Default {stated}', the command gets {Convert.ToString(actual, CultureInfo.InvariantCulture) ?? "null"}");
        }

        Assert.True(wrong.Count == 0, $"{type.Name}:\n" + string.Join("\n", wrong));
    }

    [Fact]
    public void GivenTheTrainingCommands_WhenTheirDefaultsAreRead_ThenTheyAreTheModelOptionsOwn()
    {
        var vqVae = new TrainVqVaeSettings();
        var network = new MlNetInverse.Models.VqVae.VqVaeOptions();
        var run = new MlNetInverse.Models.VqVae.VqVaeTrainingOptions();
        Assert.Equal((network.CodebookSize, network.CodeDimension, network.LatentGridSize, network.HiddenChannels),
            (vqVae.CodebookSize, vqVae.CodeDimension, vqVae.LatentGrid, vqVae.HiddenChannels));
        Assert.Equal((run.Epochs, run.BatchSize, run.LearningRate, run.Alpha, run.Beta, run.Theta),
            (vqVae.Epochs, vqVae.Batch, vqVae.LearningRate, vqVae.Alpha, vqVae.Beta, vqVae.Theta));

        var surrogate = new TrainSurrogateSettings();
        var cnn = new MlNetInverse.Models.Surrogate.AbsorptionSurrogateOptions();
        var surrogateRun = new MlNetInverse.Models.Surrogate.SurrogateTrainingOptions();
        Assert.Equal((cnn.BaseChannels, cnn.HiddenUnits, cnn.SpectralShells), (surrogate.BaseChannels, surrogate.HiddenUnits, surrogate.SpectralShells));
        Assert.Equal((surrogateRun.Epochs, surrogateRun.BatchSize, surrogateRun.LearningRate, surrogateRun.HeldOutFraction),
            (surrogate.Epochs, surrogate.Batch, surrogate.LearningRate, surrogate.HeldOut));
    }

    [Theory]
    [InlineData("Default 512.", 512, true)]
    [InlineData("Default 3e-4.", 3e-4, true)]
    [InlineData("Default 3e-4.", 1e-3, false)]
    [InlineData("Default 100 (the paper trains 1500).", 100, true)]
    [InlineData("Default cpu.", "cpu", true)]
    [InlineData("Default peer.", "residual", false)]
    [InlineData("Default off.", false, true)]
    [InlineData("Default off.", true, false)]
    public void GivenAStatedDefault_WhenComparedWithAValue_ThenOnlyTheSameValueAgrees(string description, object value, bool agrees)
    {
        var match = StatedDefault().Match(description);

        Assert.True(match.Success);
        Assert.Equal(agrees, Agrees(match.Groups["value"].Value, value));
    }

    private static bool Agrees(string stated, object? actual) => actual switch
    {
        null => true, // unset: the command resolves it (e.g. from the dataset or model), not this property's initial value
        string text => string.Equals(stated, text, StringComparison.OrdinalIgnoreCase),
        bool flag => stated is "off" or "false" ? !flag : stated is "on" or "true" ? flag : false,
        int or long or double or float =>
            double.TryParse(stated, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            && Math.Abs(number - Convert.ToDouble(actual, CultureInfo.InvariantCulture)) <= 1e-12 * Math.Max(1, Math.Abs(number)),
        _ => true, // enums and other types: not stated as a plain value
    };

    // "Default 512.", "Default 2e-3.", "Default 0: off.", "Default cpu." (not "Default: ...").
    [GeneratedRegex(@"Default (?<value>-?[0-9][0-9.eE+-]*[0-9]|[0-9]|[a-z][a-z_-]*)(?=[ .,:;)]|$)")]
    private static partial Regex StatedDefault();
}
