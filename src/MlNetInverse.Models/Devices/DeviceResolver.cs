using MlNetInverse.Physics.Runtime;
using TorchSharp;

namespace MlNetInverse.Models.Devices;

/// <summary>Turns a <see cref="ComputeDevice"/> request into a torch device.</summary>
public static class DeviceResolver
{
    /// <summary>The libtorch package this project references; CUDA needs a libtorch-cuda package instead.</summary>
    public const string LibTorchPackage = "libtorch-cpu-linux-x64";

    /// <summary>
    /// Resolves <paramref name="requested"/>: <see cref="ComputeDevice.Cpu"/> is the CPU; <see cref="ComputeDevice.Cuda"/>
    /// is cuda:0 and throws when CUDA is unavailable; <see cref="ComputeDevice.Auto"/> is cuda:0 when available, else the
    /// CPU with <paramref name="notice"/> saying why.
    /// </summary>
    /// <param name="requested">The requested device.</param>
    /// <param name="notice">A one-line message for the user when the request was changed; null otherwise.</param>
    /// <exception cref="InvalidOperationException">CUDA was requested but is not available, or libtorch cannot load (the message names the cause).</exception>
    /// <exception cref="ArgumentOutOfRangeException">Not a defined <see cref="ComputeDevice"/> value.</exception>
    public static torch.Device Resolve(ComputeDevice requested, out string? notice)
    {
        // Every model asks for its device first: the one place where a failed libtorch load becomes one clear line.
        LibTorchNativeCheck.EnsureLoaded();
        notice = null;
        switch (requested)
        {
            case ComputeDevice.Cpu:
                return torch.CPU;
            case ComputeDevice.Cuda:
                if (!torch.cuda.is_available())
                {
                    throw new InvalidOperationException(
                        "CUDA was requested but torch.cuda.is_available() is false: this build uses libtorch-cpu " +
                        $"({LibTorchPackage}), or no CUDA GPU/driver is present. Use device Cpu or Auto, or build against a " +
                        "libtorch-cuda package on a machine with an NVIDIA GPU.");
                }
                return torch.CUDA;
            case ComputeDevice.Auto:
                if (torch.cuda.is_available()) return torch.CUDA;
                notice = $"CUDA is not available (this build uses libtorch-cpu, {LibTorchPackage}, or no GPU is present); using the CPU.";
                return torch.CPU;
            default:
                throw new ArgumentOutOfRangeException(nameof(requested), requested, "Device must be Cpu, Cuda or Auto.");
        }
    }

    /// <summary>Resolves <paramref name="requested"/> and drops the notice.</summary>
    public static torch.Device Resolve(ComputeDevice requested) => Resolve(requested, out _);
}
