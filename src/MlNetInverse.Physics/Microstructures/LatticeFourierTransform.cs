namespace MlNetInverse.Physics.Microstructures;

/// <summary>
/// The 2-D discrete Fourier transform of an N x N periodic cell, in plain C# so the result is bit-identical on every
/// machine and thread count (torch.fft dispatches to MKL or pocketfft, whose rounding depends on the build and the
/// threads). Radix-2 for power-of-two N, a direct O(N^2) sum per line otherwise; both unnormalized.
/// Layout: index x * N + y, wave number index i means k = i for i &lt; N/2 and k = i - N otherwise.
/// An instance holds read-only tables only, so one may be shared between threads.
/// </summary>
internal sealed class LatticeFourierTransform
{
    private readonly double[] _cos;
    private readonly double[] _sin;
    private readonly int[]? _bitReversed;

    public LatticeFourierTransform(int size)
    {
        if (size < 1) throw new ArgumentOutOfRangeException(nameof(size), size, "The transform size must be positive.");
        Size = size;
        _cos = new double[size];
        _sin = new double[size];
        for (int j = 0; j < size; j++) (_cos[j], _sin[j]) = PortableMath.CosSinOfTurns(j, size);
        if ((size & (size - 1)) == 0) _bitReversed = BitReversal(size);
    }

    public int Size { get; }

    /// <summary>Wave number (cycles per cell) of index <paramref name="index"/> on the grid [-N/2, N/2).</summary>
    public static int WaveNumber(int index, int size) => index < size / 2 ? index : index - size;

    /// <summary>
    /// In place: forward X(k) = sum_x x(x) e^{-2 pi i k x / N}; inverse uses e^{+...} and does not divide by N^2.
    /// </summary>
    public void Transform(double[] re, double[] im, bool inverse)
    {
        int n = Size;
        if (re.Length != n * n || im.Length != n * n)
            throw new ArgumentException($"A {n}x{n} transform needs {n * n} values, got {re.Length} and {im.Length}.");
        var lineRe = new double[n];
        var lineIm = new double[n];
        var scratchRe = new double[n];
        var scratchIm = new double[n];
        for (int x = 0; x < n; x++)
        {
            Array.Copy(re, x * n, lineRe, 0, n);
            Array.Copy(im, x * n, lineIm, 0, n);
            TransformLine(lineRe, lineIm, scratchRe, scratchIm, inverse);
            Array.Copy(lineRe, 0, re, x * n, n);
            Array.Copy(lineIm, 0, im, x * n, n);
        }
        for (int y = 0; y < n; y++)
        {
            for (int x = 0; x < n; x++) { lineRe[x] = re[x * n + y]; lineIm[x] = im[x * n + y]; }
            TransformLine(lineRe, lineIm, scratchRe, scratchIm, inverse);
            for (int x = 0; x < n; x++) { re[x * n + y] = lineRe[x]; im[x * n + y] = lineIm[x]; }
        }
    }

    private void TransformLine(double[] re, double[] im, double[] scratchRe, double[] scratchIm, bool inverse)
    {
        double sign = inverse ? 1.0 : -1.0;
        if (_bitReversed is not null) Radix2(re, im, sign);
        else Direct(re, im, scratchRe, scratchIm, sign);
    }

    private void Radix2(double[] re, double[] im, double sign)
    {
        int n = Size;
        for (int i = 0; i < n; i++)
        {
            int j = _bitReversed![i];
            if (j > i) { (re[i], re[j]) = (re[j], re[i]); (im[i], im[j]) = (im[j], im[i]); }
        }
        for (int length = 2; length <= n; length <<= 1)
        {
            int half = length >> 1;
            int stride = n / length; // twiddle e^{sign 2 pi i m / length} = table[m * stride]
            for (int m = 0; m < half; m++)
            {
                double wr = _cos[m * stride], wi = sign * _sin[m * stride]; // one twiddle per butterfly column
                for (int a = m; a < n; a += length)
                {
                    int b = a + half;
                    double tr = re[b] * wr - im[b] * wi;
                    double ti = re[b] * wi + im[b] * wr;
                    re[b] = re[a] - tr; im[b] = im[a] - ti;
                    re[a] += tr; im[a] += ti;
                }
            }
        }
    }

    private void Direct(double[] re, double[] im, double[] outRe, double[] outIm, double sign)
    {
        int n = Size;
        for (int k = 0; k < n; k++)
        {
            double sr = 0, si = 0;
            for (int j = 0; j < n; j++)
            {
                int t = (int)((long)j * k % n);
                double wr = _cos[t], wi = sign * _sin[t];
                sr += re[j] * wr - im[j] * wi;
                si += re[j] * wi + im[j] * wr;
            }
            outRe[k] = sr; outIm[k] = si;
        }
        Array.Copy(outRe, re, n);
        Array.Copy(outIm, im, n);
    }

    private static int[] BitReversal(int n)
    {
        int bits = 0;
        while ((1 << bits) < n) bits++;
        var table = new int[n];
        for (int i = 0; i < n; i++)
        {
            int r = 0;
            for (int b = 0; b < bits; b++) if ((i & (1 << b)) != 0) r |= 1 << (bits - 1 - b);
            table[i] = r;
        }
        return table;
    }
}
