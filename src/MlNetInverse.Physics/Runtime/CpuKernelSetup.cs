using System.Runtime.CompilerServices;

namespace MlNetInverse.Physics.Runtime;

/// <summary>Caps oneDNN's instruction set (<see cref="CpuKernelIsa"/>) when this assembly loads, before its first torch kernel.</summary>
internal static class CpuKernelSetup
{
#pragma warning disable CA2255 // A library initialiser on purpose: the cap must precede any kernel, whichever layer runs first.
    [ModuleInitializer]
    internal static void Apply() => CpuKernelIsa.Apply();
#pragma warning restore CA2255
}
