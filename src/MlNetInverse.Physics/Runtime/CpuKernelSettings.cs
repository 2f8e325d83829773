namespace MlNetInverse.Physics.Runtime;

/// <summary>
/// The process-wide settings libtorch's CPU kernels read once, when they load: oneDNN's instruction set cap
/// (<see cref="CpuKernelIsa"/>) and what idle OpenMP threads do (<see cref="OpenMpWaitPolicy"/>). Every layer's module
/// initializer calls <see cref="Apply"/>, so they hold whichever layer touches torch first; idempotent.
/// </summary>
public static class CpuKernelSettings
{
    /// <summary>Applies each setting's default where the user set none.</summary>
    public static void Apply()
    {
        CpuKernelIsa.Apply();
        OpenMpWaitPolicy.Apply();
    }
}
