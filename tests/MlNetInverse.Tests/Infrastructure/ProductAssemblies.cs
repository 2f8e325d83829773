namespace MlNetInverse.Tests.Infrastructure;

/// <summary>The shipped assemblies (libraries and the CLI) as copied beside the tests, for tests that read their IL.</summary>
internal static class ProductAssemblies
{
    public static IReadOnlyList<string> Paths { get; } =
    [
        .. new[]
        {
            "MlNetInverse.Physics.dll", "MlNetInverse.Models.dll", "MlNetInverse.ML.dll", "MlNetInverse.Baselines.dll",
            "MlNetInverse.Workflows.dll", "mlnet-inverse.dll",
        }.Select(name => Path.Combine(AppContext.BaseDirectory, name)),
    ];
}
