namespace MlNetInverse.Physics.Microstructures;

/// <summary>
/// sqrt(S(k)) of a GRF on the integer wave-vector grid [-N/2, N/2)^2 of an N x N cell, normalized so the largest
/// amplitude is 1, with the k = 0 term zeroed. Also the place where <see cref="GrfParameters"/> are validated.
/// </summary>
internal static class SpectralDensityGrid
{
    /// <summary>Amplitudes sqrt(S(k)) in the layout of <see cref="LatticeFourierTransform"/>.</summary>
    /// <exception cref="ArgumentException">A parameter is outside its range, or S is zero on every allowed k.</exception>
    public static double[] Amplitudes(GrfParameters parameters, int size)
    {
        Validate(parameters, size);
        double mean = parameters.MeanWavenumber, std = parameters.StdWavenumber;
        // Work with log S and subtract its maximum before exponentiating: a narrow Gaussian (std 0.01) has
        // S(|k|=1) = e^-5000, which underflows to 0 although the shape itself is well defined.
        var logDensity = new double[size * size];
        double maxLog = double.NegativeInfinity;
        for (int ix = 0; ix < size; ix++)
        {
            int kx = LatticeFourierTransform.WaveNumber(ix, size);
            for (int iy = 0; iy < size; iy++)
            {
                int ky = LatticeFourierTransform.WaveNumber(iy, size);
                int index = ix * size + iy;
                if (kx == 0 && ky == 0) { logDensity[index] = double.NegativeInfinity; continue; } // no mean term
                double k = Math.Sqrt(kx * kx + ky * ky); // correctly rounded: the same bits everywhere
                double log = parameters.Family switch
                {
                    SpectralDensityFamily.Ring => -(k - mean) * (k - mean) / (2 * std * std),
                    SpectralDensityFamily.Gaussian => -k * k / (2 * std * std),
                    _ => k >= mean - std && k <= mean + std ? 0.0 : double.NegativeInfinity,
                };
                logDensity[index] = log;
                if (log > maxLog) maxLog = log;
            }
        }
        if (double.IsNegativeInfinity(maxLog))
            throw new ArgumentException(
                $"The {parameters.Family} SDF with mean {mean} and std {std} (cycles per cell) is zero on every nonzero integer " +
                $"wave vector of a {size}x{size} cell, so there is no field to level-cut; widen the annulus to contain some |k| >= 1.",
                nameof(parameters));
        // S depends on |k| only, so evaluate exp once per distinct |k|^2 (about a sixth of the N^2 wave vectors).
        var amplitudeBySquaredK = new double[size * size / 2 + 1];
        Array.Fill(amplitudeBySquaredK, double.NaN);
        var amplitudes = new double[logDensity.Length];
        for (int ix = 0; ix < size; ix++)
        {
            int kx = LatticeFourierTransform.WaveNumber(ix, size);
            for (int iy = 0; iy < size; iy++)
            {
                int ky = LatticeFourierTransform.WaveNumber(iy, size);
                int index = ix * size + iy;
                int squaredK = kx * kx + ky * ky;
                if (double.IsNaN(amplitudeBySquaredK[squaredK]))
                    amplitudeBySquaredK[squaredK] = double.IsNegativeInfinity(logDensity[index]) ? 0.0 : PortableMath.Exp(0.5 * (logDensity[index] - maxLog));
                amplitudes[index] = amplitudeBySquaredK[squaredK];
            }
        }
        return amplitudes;
    }

    private static void Validate(GrfParameters parameters, int size)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        const string name = nameof(parameters);
        if (!Enum.IsDefined(parameters.Family))
            throw new ArgumentOutOfRangeException($"{name}.{nameof(GrfParameters.Family)}", parameters.Family,
                $"Unknown SDF family {(int)parameters.Family}; expected Ring, Gaussian or Uniform.");
        double vf = parameters.VolumeFraction;
        if (!(vf > 0 && vf < 1))
            throw new ArgumentOutOfRangeException($"{name}.{nameof(GrfParameters.VolumeFraction)}", vf,
                $"Volume fraction is {vf}; it must lie strictly between 0 and 1.");
        double std = parameters.StdWavenumber;
        if (!(std > 0) || double.IsInfinity(std))
            throw new ArgumentOutOfRangeException($"{name}.{nameof(GrfParameters.StdWavenumber)}", std,
                $"SDF width (std) is {std} cycles per cell; it must be finite and greater than 0.");
        if (parameters.Family == SpectralDensityFamily.Gaussian) return; // the mean is not used by a centred Gaussian
        double mean = parameters.MeanWavenumber;
        if (!(mean >= 0 && mean < size / 2))
            throw new ArgumentOutOfRangeException($"{name}.{nameof(GrfParameters.MeanWavenumber)}", mean,
                $"SDF mean wave number is {mean} cycles per cell; a {parameters.Family} SDF on a {size}x{size} cell needs 0 <= mean < {size / 2} (Nyquist).");
    }
}
