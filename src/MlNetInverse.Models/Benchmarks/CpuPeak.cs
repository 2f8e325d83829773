using System.Globalization;

namespace MlNetInverse.Models.Benchmarks;

/// <summary>
/// The nominal fp32 peak of this machine's CPU, the yardstick for benchmark GFLOP/s: cores x clock x 2 FMA pipes x
/// 2 flops x vector lanes. The pipe count is an assumption (two on current x86 server cores); the lanes are those of
/// the widest instruction set the kernels may use (oneDNN's cap, AVX2 by default here: 8 floats).
/// </summary>
/// <param name="Cores">Logical processors the process sees.</param>
/// <param name="GigaHertz">Clock from /proc/cpuinfo (GHz; 0 when unknown).</param>
/// <param name="Lanes">fp32 lanes per vector of the instruction set in use.</param>
/// <param name="InstructionSet">Its name, e.g. AVX2.</param>
public sealed record CpuPeak(int Cores, double GigaHertz, int Lanes, string InstructionSet)
{
    /// <summary>FMA pipes per core assumed by <see cref="GigaFlops"/>.</summary>
    public const int FmaPipes = 2;

    /// <summary>Nominal peak (GFLOP/s); 0 when the clock is unknown.</summary>
    public double GigaFlops => Cores * GigaHertz * FmaPipes * 2 * Lanes;

    /// <summary>
    /// This machine, with the lanes of the oneDNN cap in force (AVX2 unless the user set another): libtorch's yardstick.
    /// With <paramref name="kernelCap"/> false, the widest lanes the CPU has: ONNX Runtime's own kernels ignore the cap.
    /// </summary>
    public static CpuPeak Current(bool kernelCap = true)
    {
        double ghz = 0;
        bool avx512 = false, avx2 = false;
        try
        {
            foreach (string line in File.ReadLines("/proc/cpuinfo"))
            {
                if (ghz == 0 && line.StartsWith("cpu MHz", StringComparison.Ordinal)
                    && double.TryParse(line[(line.IndexOf(':') + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out double mhz))
                    ghz = mhz / 1000;
                if (line.StartsWith("flags", StringComparison.Ordinal))
                {
                    avx512 |= line.Contains(" avx512f", StringComparison.Ordinal);
                    avx2 |= line.Contains(" avx2", StringComparison.Ordinal);
                }
            }
        }
        catch (IOException)
        {
            // Not Linux: peak unknown (0), GFLOP/s are still printed.
        }
        string cap = kernelCap ? Environment.GetEnvironmentVariable(Physics.Runtime.CpuKernelIsa.Variable) ?? "" : "";
        return Of(Environment.ProcessorCount, ghz, avx512, avx2, cap);
    }

    /// <summary>The peak of <paramref name="cores"/> cores with these instruction sets under oneDNN cap <paramref name="cap"/> ("" for none).</summary>
    internal static CpuPeak Of(int cores, double gigaHertz, bool avx512, bool avx2, string cap)
    {
        bool capped = cap.Length > 0 && !cap.StartsWith("AVX512", StringComparison.OrdinalIgnoreCase) && !cap.Equals("ALL", StringComparison.OrdinalIgnoreCase);
        return avx512 && !capped ? new CpuPeak(cores, gigaHertz, 16, "AVX-512")
            : avx2 || avx512 ? new CpuPeak(cores, gigaHertz, 8, "AVX2")
            : new CpuPeak(cores, gigaHertz, 4, "SSE");
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Cores} cores x {GigaHertz:F2} GHz x {FmaPipes} FMA pipes x 2 x {Lanes} fp32 lanes ({InstructionSet}) = {GigaFlops:F0} GFLOP/s nominal fp32 peak");
}
