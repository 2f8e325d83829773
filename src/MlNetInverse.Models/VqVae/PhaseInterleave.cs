using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetInverse.Models.VqVae;

/// <summary>
/// Puts the four phases of a <see cref="PeriodicConvTranspose2d"/> together into its output, optionally with the one
/// periodic line per side the next layer's phase convolution reads, in one pass over memory: output pixel
/// (2i + r, 2j + s) is phase 2r + s at window (i + r, j + s). On the CPU each output line is two phase lines
/// interleaved (AVX unpack, else element by element); elsewhere it is torch's strided copy and circular pad. Values
/// are copied, never computed, so the result equals the layer's interleave followed by the pad.
/// </summary>
internal static class PhaseInterleave
{
    /// <summary>
    /// Phases [N, 4C, n + 1, n + 1] (channel 4c + 2r + s) → the layer's output [N, C, 2n, 2n], or with
    /// <paramref name="periodicPadding"/> [N, C, 2n + 2, 2n + 2] with the opposite edge's line on every side. With
    /// <paramref name="rectify"/> every value passes through ReLU on the way (the layer's activation, without a pass of
    /// its own over the phases).
    /// </summary>
    public static Tensor Interleave(Tensor phases, bool periodicPadding, bool rectify = false)
    {
        using var scope = NewDisposeScope();
        long n = phases.shape[0], channels = phases.shape[1] / 4, size = phases.shape[2] - 1;
        // Both paths read the phases' storage in their contiguous layout.
        if (!phases.is_contiguous()) phases = phases.contiguous();
        if (phases.device_type != DeviceType.CPU || phases.dtype != ScalarType.Float32)
        {
            if (rectify) phases = phases.relu();
            long row = size + 1, phase = row * row, channel = 4 * phase;
            var interleaved = phases.as_strided([n, channels, size, 2, size, 2], [channels * channel, channel, row, 2 * phase + row, 1, phase + 1])
                .reshape(n, channels, 2 * size, 2 * size);
            return (periodicPadding ? nn.functional.pad(interleaved, [1, 1, 1, 1], PaddingModes.Circular) : interleaved).MoveToOuterDisposeScope();
        }
        int pad = periodicPadding ? 1 : 0;
        long edge = 2 * size + 2 * pad, planeCount = n * channels;
        var output = empty(n, channels, edge, edge);
        // Planes are independent copies, so they split over torch's intra-op threads (the caller's budget): on one
        // thread the pass over a batch's largest layers was a serial stretch of the decode.
        int threads = Math.Max(1, get_num_threads());
        long perTask = Math.Max(1, planeCount / (4L * threads));
        unsafe
        {
            fixed (byte* source = phases.bytes, target = output.bytes)
            {
                // Pointers cannot enter a lambda: the tasks reach the tensors through their pinned addresses.
                nint sourceAddress = (nint)source, targetAddress = (nint)target;
                Parallel.For(0, (planeCount + perTask - 1) / perTask, new ParallelOptions { MaxDegreeOfParallelism = threads }, task =>
                {
                    var planes = new Planes((float*)sourceAddress, (float*)targetAddress, (int)size, pad, rectify);
                    for (long plane = task * perTask, last = Math.Min(planeCount, plane + perTask); plane < last; plane++) planes.Write(plane);
                });
            }
        }
        return output.MoveToOuterDisposeScope();
    }

    private readonly unsafe struct Planes(float* phases, float* output, int size, int pad, bool rectify)
    {
        private readonly int _line = size + 1, _phase = (size + 1) * (size + 1), _edge = 2 * size + 2 * pad;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Write(long plane)
        {
            float* input = phases + plane * 4 * _phase, into = output + plane * _edge * _edge;
            int full = 2 * size;
            for (int y = 0; y < _edge; y++)
            {
                // Padded line y is output line (y - pad) mod 2n = 2i + r: phases 2r and 2r + 1 at window line i + r.
                int line = ((y - pad) % full + full) % full, i = line >> 1, r = line & 1;
                float* even = input + 2 * r * _phase + (i + r) * _line, odd = even + _phase + 1;
                float* to = into + y * _edge + pad;
                Interleave(even, odd, to, size, rectify);
                if (pad == 1)
                {
                    to[-1] = to[full - 1];
                    to[full] = to[0];
                }
            }
        }

        // to[2j] = even[j], to[2j + 1] = odd[j] for j < count (each through ReLU when rectifying).
        private static void Interleave(float* even, float* odd, float* to, int count, bool rectify)
        {
            int j = 0;
            if (Avx.IsSupported)
                for (; j + 8 <= count; j += 8)
                {
                    var a = Avx.LoadVector256(even + j);
                    var b = Avx.LoadVector256(odd + j);
                    if (rectify)
                    {
                        a = Avx.Max(a, Vector256<float>.Zero);
                        b = Avx.Max(b, Vector256<float>.Zero);
                    }
                    var low = Avx.UnpackLow(a, b);
                    var high = Avx.UnpackHigh(a, b);
                    Avx.Store(to + 2 * j, Avx.Permute2x128(low, high, 0x20));
                    Avx.Store(to + 2 * j + 8, Avx.Permute2x128(low, high, 0x31));
                }
            for (; j < count; j++)
            {
                to[2 * j] = rectify ? MathF.Max(even[j], 0f) : even[j];
                to[2 * j + 1] = rectify ? MathF.Max(odd[j], 0f) : odd[j];
            }
        }
    }
}
