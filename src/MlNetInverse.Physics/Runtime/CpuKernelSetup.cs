using System.Runtime.CompilerServices;

namespace MlNetInverse.Physics.Runtime;

/// <summary>Applies <see cref="CpuKernelSettings"/> when this assembly loads, before libtorch loads and runs its first kernel.</summary>
internal static class CpuKernelSetup
{
#pragma warning disable CA2255 // A library initialiser on purpose: the settings must precede any kernel, whichever layer runs first.
    [ModuleInitializer]
    internal static void Apply() => CpuKernelSettings.Apply();
#pragma warning restore CA2255
}
