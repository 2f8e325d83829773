namespace MlNetInverse.Physics.Runtime;

/// <summary>
/// Lets libtorch's idle OpenMP threads sleep instead of spinning (OMP_WAIT_POLICY=PASSIVE). After each parallel torch
/// kernel the GNU OpenMP workers spin-wait for the next one by default, and on two cores they then take the core from
/// the .NET work between kernels (sampling, code snapping, binarizing on the thread pool). Measured with `bench score`
/// (2 threads, 11 alternated pairs): 4,846-6,090 images/s, median 5,758, against 4,565-6,069, median 5,100, spinning.
/// OpenMP reads the policy once, when libtorch loads, so every layer applies it when its assembly loads (as
/// <see cref="CpuKernelIsa"/>); a policy or spin count the user set (OMP_WAIT_POLICY, GOMP_SPINCOUNT) is left alone.
/// </summary>
public static class OpenMpWaitPolicy
{
    /// <summary>OpenMP's variable for what idle threads do.</summary>
    public const string Variable = "OMP_WAIT_POLICY";

    /// <summary>GNU OpenMP's spin count before an idle thread sleeps; a user who tunes it keeps it.</summary>
    public const string SpinCountVariable = "GOMP_SPINCOUNT";

    /// <summary>Marks a policy this library set, so a child process (the CLI re-executes itself) still reports it as the default.</summary>
    public const string MarkerVariable = "MLNET_INVERSE_OMP_WAIT_DEFAULT";

    /// <summary>The policy this library sets when the user has set none.</summary>
    public const string DefaultPolicy = "PASSIVE";

    private static readonly NativeEnvironmentDefault Setting = new(Variable, DefaultPolicy, SpinCountVariable, "spin count ", MarkerVariable,
        $"idle threads sleep instead of spinning on the cores the .NET work between kernels needs; {Variable}=ACTIVE restores spinning");

    /// <summary>Sets <see cref="Variable"/> to <see cref="DefaultPolicy"/> in the native environment unless the user set a policy; idempotent.</summary>
    public static void Apply() => Setting.Apply();

    /// <summary>What idle OpenMP threads do, for <c>info</c>: the policy and who set it.</summary>
    public static string Describe() => Setting.Describe();

    /// <summary>
    /// The policy's description given the variables' current values and the marker; <paramref name="set"/> says whether to
    /// set the default (also when a parent process set it: setting it again is harmless).
    /// </summary>
    public static string Decide(string? policy, string? spinCount, string? marker, out bool set) => Setting.Decide(policy, spinCount, marker, out set);
}
