namespace MlNetInverse.Tests.Infrastructure;

/// <summary>
/// A long end-to-end test. Skipped (reported as skipped, never as passed) unless MLNET_INVERSE_SLOW_TESTS=1,
/// so the default test run stays within minutes on a 2-core machine.
/// </summary>
public sealed class SlowFactAttribute : FactAttribute
{
    public const string Variable = "MLNET_INVERSE_SLOW_TESTS";

    public SlowFactAttribute()
    {
        if (Environment.GetEnvironmentVariable(Variable) != "1")
            Skip = $"slow end-to-end test; set {Variable}=1 to run it";
    }
}
