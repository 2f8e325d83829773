namespace MlNetInverse.Physics.Runtime;

/// <summary>
/// Caps the instruction set of oneDNN, libtorch's CPU convolution and matmul kernels, at AVX2. On the AVX-512 Zen
/// CPUs of this project's machines the AVX-512 kernels of TorchSharp 0.107's libtorch intermittently turn small
/// trainings into NaN (measured: 3 of 10 tiny CLI trainings plain, 0 of 10 capped at AVX2). oneDNN reads the cap from
/// the process environment once, at its first kernel, so every layer applies it when its assembly loads; a cap the
/// user set (ONEDNN_MAX_CPU_ISA or DNNL_MAX_CPU_ISA, e.g. ALL to lift it) is left alone.
/// </summary>
public static class CpuKernelIsa
{
    /// <summary>oneDNN's variable for the highest instruction set its kernels may use.</summary>
    public const string Variable = "ONEDNN_MAX_CPU_ISA";

    /// <summary>The variable's name before oneDNN 2.x; oneDNN still reads it.</summary>
    public const string LegacyVariable = "DNNL_MAX_CPU_ISA";

    /// <summary>Marks a cap this library set, so a child process (the CLI re-executes itself) still reports it as the default.</summary>
    public const string MarkerVariable = "MLNET_INVERSE_CPU_ISA_DEFAULT";

    /// <summary>The cap this library sets when the user has set none.</summary>
    public const string DefaultCap = "AVX2";

    private static readonly NativeEnvironmentDefault Setting = new(Variable, DefaultCap, LegacyVariable, "", MarkerVariable,
        $"oneDNN's AVX-512 kernels gave NaN trainings on this CPU family; {Variable}=ALL lifts it");

    /// <summary>Sets <see cref="Variable"/> to <see cref="DefaultCap"/> in the native environment unless a cap is set; idempotent.</summary>
    public static void Apply() => Setting.Apply();

    /// <summary>What the kernels run with, for <c>info</c>: the cap and who set it.</summary>
    public static string Describe() => Setting.Describe();

    /// <summary>
    /// The cap's description given the two variables' current values and the marker; <paramref name="set"/> says whether
    /// to set the default (also when a parent process set it: setting it again is harmless).
    /// </summary>
    public static string Decide(string? value, string? legacyValue, string? marker, out bool set) => Setting.Decide(value, legacyValue, marker, out set);
}
