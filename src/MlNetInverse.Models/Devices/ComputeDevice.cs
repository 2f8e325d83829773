namespace MlNetInverse.Models.Devices;

/// <summary>Where models train and run.</summary>
public enum ComputeDevice
{
    /// <summary>The CPU (always available).</summary>
    Cpu,

    /// <summary>The first CUDA GPU; fails when this build's libtorch has no CUDA support or no GPU is present.</summary>
    Cuda,

    /// <summary>CUDA when available, otherwise the CPU (with a notice saying so).</summary>
    Auto,
}
