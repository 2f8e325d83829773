namespace MlNetInverse.Physics.Datasets;

/// <summary>Progress of a generation run.</summary>
/// <param name="Completed">Samples done, including resumed ones.</param>
/// <param name="Total">Samples asked for.</param>
/// <param name="Resumed">Samples found done from an earlier interrupted run.</param>
public sealed record DatasetProgress(int Completed, int Total, int Resumed);
