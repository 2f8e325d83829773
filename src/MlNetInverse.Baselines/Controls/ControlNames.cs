namespace MlNetInverse.Baselines.Controls;

/// <summary>The names the learning-free controls go by on the command line (<c>evaluate --methods ...</c>) and in reports.</summary>
public static class ControlNames
{
    /// <summary>The volume-fraction control: the VF whose training rows absorb the target on average, a fresh GRF at it.</summary>
    public const string VolumeFraction = "vf-control";

    /// <summary>The volume-fraction control through a surrogate screen with the same draw budget as the model's.</summary>
    public const string ScreenedVolumeFraction = "vf-control+screen";

    /// <summary>Both controls in report order.</summary>
    public static IReadOnlyList<string> All { get; } = [VolumeFraction, ScreenedVolumeFraction];
}
