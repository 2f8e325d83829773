namespace MlNetInverse.Tests.Models;

/// <summary>
/// Tests that compare two training runs bit for bit run alone: torch's thread count is process-wide, and a parallel test
/// changing it mid-run could change the floating-point summation order.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TorchDeterminismCollection
{
    public const string Name = "Torch determinism";
}
