using System.Runtime.CompilerServices;
using MlNetInverse.Physics.Runtime;

namespace MlNetInverse.Models.Devices;

/// <summary>
/// Caps oneDNN's instruction set (<see cref="CpuKernelIsa"/>) and lets idle OpenMP threads sleep
/// (<see cref="OpenMpWaitPolicy"/>) when this assembly loads, before libtorch loads and runs its first kernel.
/// </summary>
internal static class CpuKernelSetup
{
#pragma warning disable CA2255 // A library initialiser on purpose: the cap must precede any kernel, whichever layer runs first.
    [ModuleInitializer]
    internal static void Apply()
    {
        CpuKernelIsa.Apply();
        OpenMpWaitPolicy.Apply();
    }
#pragma warning restore CA2255
}
