namespace MlNetInverse.Physics.Statistics;

/// <summary>Dense least squares min ||A x - b|| by Householder QR, for the small, tall systems of the regressions here.</summary>
internal static class LeastSquares
{
    /// <summary>
    /// Solves for x (length = columns of <paramref name="a"/>). <paramref name="a"/> and <paramref name="b"/> are
    /// overwritten. A column that is (numerically) a combination of earlier ones gets coefficient 0 instead of
    /// blowing up, so a degenerate feature (e.g. a constant one) does not break the fit.
    /// </summary>
    public static double[] Solve(double[,] a, double[] b)
    {
        int rows = a.GetLength(0), columns = a.GetLength(1);
        if (b.Length != rows) throw new ArgumentException($"The system has {rows} rows but the right-hand side {b.Length}.", nameof(b));
        var diagonal = new double[columns];
        double scale = 0;
        for (int j = 0; j < columns; j++)
        {
            double norm = 0;
            for (int i = j; i < rows; i++) norm += a[i, j] * a[i, j];
            norm = Math.Sqrt(norm);
            scale = Math.Max(scale, norm);
            if (norm == 0) continue;
            double alpha = a[j, j] > 0 ? -norm : norm;
            // v = a[j.., j] - alpha e1, stored in place; H = I - 2 v v^T / (v^T v).
            a[j, j] -= alpha;
            double vv = 0;
            for (int i = j; i < rows; i++) vv += a[i, j] * a[i, j];
            for (int k = j + 1; k < columns; k++)
            {
                double dot = 0;
                for (int i = j; i < rows; i++) dot += a[i, j] * a[i, k];
                double f = 2 * dot / vv;
                for (int i = j; i < rows; i++) a[i, k] -= f * a[i, j];
            }
            double db = 0;
            for (int i = j; i < rows; i++) db += a[i, j] * b[i];
            double fb = 2 * db / vv;
            for (int i = j; i < rows; i++) b[i] -= fb * a[i, j];
            diagonal[j] = alpha;
        }
        var x = new double[columns];
        double tolerance = 1e-10 * Math.Max(scale, 1e-300);
        for (int j = columns - 1; j >= 0; j--)
        {
            if (Math.Abs(diagonal[j]) <= tolerance) continue;
            double sum = b[j];
            for (int k = j + 1; k < columns; k++) sum -= a[j, k] * x[k];
            x[j] = sum / diagonal[j];
        }
        return x;
    }
}
