namespace MlNetInverse.ML.Scoring;

/// <summary>Progress of a scoring run, reported after each block.</summary>
/// <param name="BlocksDone">Blocks finished (resumed ones included).</param>
/// <param name="Blocks">Blocks of the run.</param>
/// <param name="ImagesDone">Images finished.</param>
public sealed record ScoringProgress(int BlocksDone, int Blocks, long ImagesDone);
