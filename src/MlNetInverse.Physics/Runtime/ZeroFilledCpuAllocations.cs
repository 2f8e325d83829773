using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetInverse.Physics.Runtime;

/// <summary>
/// Has libtorch clear every CPU block it allocates (c10's <c>caffe2_cpu_allocator_do_zero_fill</c> flag) while a
/// backward pass runs: product code calls <see cref="Backpropagate"/> instead of <c>backward()</c>.
/// </summary>
/// <remarks>
/// Why: in libtorch 2.10's oneDNN convolution backward (batch above one), the gradient of the input reads a block it
/// never wrote. Finite leftovers there are multiplied by zero and vanish, so results stay bit-identical, but a NaN or
/// infinity left by earlier work (a masked log, a refused NaN input) turns the whole input gradient into NaN: tiny
/// trainings in the parallel test suite ended with NaN weights a few times per run. Measured on a 3-conv stack
/// (batch 8, one thread, 400 steps): after freeing NaN-filled blocks, 399 steps with NaN gradients; with libtorch's own
/// junk fill, 58; with zero fill, none. Clearing every allocation cost 7-10 % of a VQ-VAE train step and 5-8 % of
/// decoding (disabling oneDNN instead: 25 % of a train step), so blocks are cleared during backward passes only,
/// where the unwritten read is. The flag is process-wide: it stays on while any thread is inside a backward pass.
/// </remarks>
public static class ZeroFilledCpuAllocations
{
    private const string Library = "libc10.so";
    private const string ZeroFillFlag = "caffe2_cpu_allocator_do_zero_fill";

    private static readonly Lazy<IntPtr> Flag = new(FindFlag, LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly object Gate = new();
    private static int _holders;

    /// <summary><paramref name="loss"/>.backward() with libtorch's new CPU blocks cleared while it runs.</summary>
    public static void Backpropagate(this Tensor loss)
    {
        ArgumentNullException.ThrowIfNull(loss);
        using (Hold()) loss.backward();
    }

    /// <summary>
    /// Clears new CPU blocks until the returned scope is disposed (scopes nest and may overlap across threads). Nothing
    /// changes when this libtorch has no such flag (another build than the one this package is tested with).
    /// </summary>
    public static IDisposable Hold()
    {
        lock (Gate)
        {
            if (_holders++ == 0) Write(true);
        }
        return new Holder();
    }

    /// <summary>Whether libtorch's CPU allocator clears new blocks now.</summary>
    public static bool IsOn => Flag.Value != IntPtr.Zero && Marshal.ReadByte(Flag.Value) != 0;

    /// <summary>Whether this libtorch has the flag at all.</summary>
    public static bool IsAvailable => Flag.Value != IntPtr.Zero;

    private static void Release()
    {
        lock (Gate)
        {
            if (--_holders == 0) Write(false);
        }
    }

    // A C++ bool is one byte; c10 reads it on every allocation, and the gate orders the writes.
    private static void Write(bool on)
    {
        if (Flag.Value != IntPtr.Zero) Marshal.WriteByte(Flag.Value, on ? (byte)1 : (byte)0);
    }

    private static IntPtr FindFlag()
    {
        torch.InitializeDeviceType(DeviceType.CPU);
        if (!NativeLibrary.TryLoad(Library, typeof(torch).Assembly, null, out var library)) return IntPtr.Zero;
        return NativeLibrary.TryGetExport(library, "FLAGS_" + ZeroFillFlag, out var flag) ? flag : IntPtr.Zero;
    }

    private sealed class Holder : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) Release();
        }
    }
}
