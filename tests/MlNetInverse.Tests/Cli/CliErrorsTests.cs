using MlNetInverse.Cli;

namespace MlNetInverse.Tests.Cli;

public sealed class CliErrorsTests
{
    [Fact]
    public void GivenAMultiLineMessage_WhenReported_ThenExactlyOneLineIsWrittenAndTheExitCodeIsOne()
    {
        var error = new StringWriter();

        int exitCode = CliErrors.Report(new InvalidOperationException("first part\n  second part\r\n"), error, verbose: false);

        Assert.Equal(1, exitCode);
        Assert.Equal("error: first part second part" + Environment.NewLine, error.ToString());
    }

    [Fact]
    public void GivenCancellation_WhenReported_ThenTheExitCodeIs130()
    {
        var error = new StringWriter();

        Assert.Equal(130, CliErrors.Report(new AggregateException(new OperationCanceledException()), error, verbose: false));
        Assert.Equal("cancelled.", error.ToString().Trim());
    }

    [Fact]
    public void GivenAValueOptionAtTheEnd_WhenChecked_ThenItIsReportedAsMissingItsValue()
    {
        var types = MissingOptionValue.SettingsTypesOfThisApp().ToArray();

        Assert.Equal("--stack", MissingOptionValue.Find(["simulate", "--pattern", "a.txt", "--stack"], types));
        Assert.Equal("--pattern", MissingOptionValue.Find(["simulate", "--pattern", "--json"], types));
        Assert.Null(MissingOptionValue.Find(["simulate", "--pattern", "a.txt", "--thickness-nm", "-5", "--json"], types));
    }
}
