using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetInverse.Models.VqVae;

/// <summary>
/// The periodic decoder's first upsampling layer looked up instead of convolved, for designs decoded from code
/// indices. That layer's input at each grid cell is the projection of the cell's code, so each of its four 2x2 phase
/// taps (<see cref="PeriodicConvTranspose2d.PhaseWeight"/>) maps a code to a fixed vector of 4 x out phase values:
/// with those vectors computed once per call for the K codes, every phase value is its bias plus four looked-up values,
/// 4 adds where the convolution does 4 x in multiply-adds (128 at the default 32 channels). That layer took about 40 %
/// of the decode. The adds run in another order than the convolution's sums, so the values agree to float rounding,
/// not bit for bit.
/// </summary>
internal static class CodePhaseTable
{
    /// <summary>
    /// The taps' phase vectors [4, K, P] (tap 2 dy + dx, P = 4 x out in the layer's phase-channel order) of
    /// <paramref name="projectedCodes"/> [K, in], the codes after the projection and its activation.
    /// </summary>
    public static Tensor Taps(Tensor projectedCodes, PeriodicConvTranspose2d layer)
    {
        using var scope = NewDisposeScope();
        var weight = layer.PhaseWeight();
        long phases = weight.shape[0], input = weight.shape[1];
        var perTap = weight.permute(2, 3, 1, 0).reshape(4, input, phases);
        return projectedCodes.unsqueeze(0).matmul(perTap).contiguous().MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The layer's output after its ReLU, interleaved and padded by one periodic line per side for the next layer:
    /// [B, out, 2G + 2, 2G + 2], what <see cref="PeriodicConvTranspose2d.PhasesOfPadded"/>, ReLU and
    /// <see cref="PhaseInterleave.Interleave"/> give for the projected cells padded by one periodic line, in one pass per
    /// design. Phase window (i, j) reads padded cell (i + dy, j + dx), which is grid cell ((i + dy - 1) mod G,
    /// (j + dx - 1) mod G). Designs run in parallel on up to <paramref name="threads"/> cores; each value is
    /// bias + tap 0 + tap 1 + tap 2 + tap 3 in that order, so it does not depend on the batch or the thread count.
    /// </summary>
    /// <param name="indices">Code indices [B, G, G], int64 on the CPU, each in [0, K) (checked by the caller).</param>
    /// <param name="taps">The taps' vectors from <see cref="Taps"/>, float32 on the CPU.</param>
    /// <param name="bias">The layer's bias [out]; each output channel's bias serves its four phases.</param>
    /// <param name="threads">Most cores to use.</param>
    public static Tensor PaddedActivations(Tensor indices, Tensor taps, Tensor bias, int threads)
    {
        int b = (int)indices.shape[0], grid = (int)indices.shape[1], codes = (int)taps.shape[1], width = (int)taps.shape[2];
        int edge = 2 * grid + 2, plane = width / 4 * edge * edge;
        using var scope = NewDisposeScope();
        var phaseBias = bias.detach().repeat_interleave(4).to_type(ScalarType.Float32).cpu().contiguous();
        var table = taps.to_type(ScalarType.Float32).cpu().contiguous();
        var codeIndices = indices.to_type(ScalarType.Int64).cpu().contiguous();
        var output = empty([b, width / 4, edge, edge], ScalarType.Float32);
        if (b == 0) return output.MoveToOuterDisposeScope();
        // The tensors' own storage, read through pointers while they live in this scope (no copies per call).
        unsafe
        {
            fixed (byte* tapValues = table.bytes, biasValues = phaseBias.bytes, codeValues = codeIndices.bytes, target = output.bytes)
            {
                var look = new Lookup((nint)tapValues, (nint)biasValues, (nint)codeValues, codes, width, grid);
                nint address = (nint)target;
                var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, threads) };
                Parallel.For(0, b, parallel, () => new float[(grid + 1) * (grid + 1) * width], (design, _, windows) =>
                {
                    look.Design(design, windows, (float*)address + (long)design * plane);
                    return windows;
                }, _ => { });
            }
        }
        return output.MoveToOuterDisposeScope();
    }

    private sealed unsafe class Lookup
    {
        private readonly float* _taps, _bias;
        private readonly long* _indices;
        private readonly int _codes, _width, _grid;
        // Per padded output line (column): where its phase window row (column) starts in a design's windows, phase offset included.
        private readonly int[] _lineStart, _columnStart;

        public Lookup(nint taps, nint bias, nint indices, int codes, int width, int grid)
        {
            _taps = (float*)taps;
            _bias = (float*)bias;
            _indices = (long*)indices;
            (_codes, _width, _grid) = (codes, width, grid);
            int edge = 2 * grid + 2, windowsPerLine = grid + 1;
            _lineStart = new int[edge];
            _columnStart = new int[edge];
            for (int y = 0; y < edge; y++)
            {
                // Padded line y is output line (y - 1) mod 2G = 2i + r: phase 2r + s at window (i + r, j + s); columns alike.
                int line = (y - 1 + 2 * grid) % (2 * grid), i = line >> 1, r = line & 1;
                _lineStart[y] = (i + r) * windowsPerLine * width + 2 * r;
                _columnStart[y] = (i + r) * width + r;
            }
        }

        /// <summary>One design: its windows' phases [window, P] with ReLU into <paramref name="windows"/>, then each output channel's padded plane.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Design(int design, float[] windows, float* output)
        {
            int grid = _grid, width = _width, windowsPerLine = grid + 1, cells = grid * grid;
            long* code = _indices + (long)design * cells;
            fixed (float* sums = windows)
            fixed (int* columns = _columnStart)
            {
                for (int i = 0; i < windowsPerLine; i++)
                {
                    int above = (i + grid - 1) % grid, row = i % grid;
                    for (int j = 0; j < windowsPerLine; j++)
                    {
                        int left = (j + grid - 1) % grid, column = j % grid;
                        Sum(code[above * grid + left], code[above * grid + column], code[row * grid + left], code[row * grid + column],
                            sums + (i * windowsPerLine + j) * width);
                    }
                }
                int edge = 2 * grid + 2, channels = width / 4;
                float* to = output;
                for (int c = 0; c < channels; c++)
                    for (int y = 0; y < edge; y++, to += edge)
                    {
                        float* line = sums + _lineStart[y] + 4 * c;
                        for (int x = 0; x < edge; x++) to[x] = line[columns[x]];
                    }
            }
        }

        // bias + tap 0 + tap 1 + tap 2 + tap 3 (taps (dy, dx) = (0, 0), (0, 1), (1, 0), (1, 1)), then ReLU.
        private void Sum(long first, long second, long third, long fourth, float* into)
        {
            long width = _width, stride = _codes * width;
            float* t0 = _taps + first * width, t1 = _taps + stride + second * width, t2 = _taps + 2 * stride + third * width,
                t3 = _taps + 3 * stride + fourth * width, b = _bias;
            int lanes = Vector<float>.Count, p = 0;
            for (; p <= width - lanes; p += lanes)
                Vector.Max(Vector.Load(b + p) + Vector.Load(t0 + p) + Vector.Load(t1 + p) + Vector.Load(t2 + p) + Vector.Load(t3 + p), Vector<float>.Zero)
                    .Store(into + p);
            for (; p < width; p++) into[p] = MathF.Max(b[p] + t0[p] + t1[p] + t2[p] + t3[p], 0f);
        }
    }
}
