namespace MlNetInverse.Workflows.Evaluation;

/// <summary>One method of the evaluation table: a target absorption in, binary designs out (with what they cost).</summary>
internal interface IEvaluationMethod : IDisposable
{
    /// <summary>The method's name on the command line (<see cref="EvaluationMethods"/>).</summary>
    string Name { get; }

    /// <summary>
    /// <paramref name="count"/> designs for <paramref name="target"/>; the same (target, count, seed) gives the same designs.
    /// </summary>
    MethodOutput Generate(double target, int count, long seed, CancellationToken cancellationToken);
}
