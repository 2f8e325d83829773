using MlNetInverse.Physics.Microstructures;

namespace MlNetInverse.Workflows.Evaluation;

/// <summary>The proposed framework with verify-and-rank (<see cref="VerifiedRanking"/>): its RCWA judgement is part of its output and cost.</summary>
internal sealed class ProposedRankedMethod(VerifiedRanking ranking) : IEvaluationMethod
{
    public string Name => EvaluationMethods.ProposedRanked;

    public MethodOutput Generate(double target, int count, long seed, CancellationToken cancellationToken)
    {
        var ranked = ranking.Run(target, count, seed, null, cancellationToken);
        var maps = ranked.Images.Select(image => Microstructure.FromPixels(image, ranked.ImageSize)).ToArray();
        return new MethodOutput(maps, ranked.RcwaAbsorption, ranked.Simulations, ranked.Drawn, ranked.Confirmed);
    }

    public void Dispose() => ranking.Dispose();
}
