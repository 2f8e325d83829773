using System.Runtime.InteropServices;

namespace MlNetInverse.Physics.Runtime;

/// <summary>
/// The C environment that native libraries read with getenv. .NET keeps its own copy of the environment on Unix, so
/// Environment.SetEnvironmentVariable never reaches libtorch, oneDNN or OpenMP; their defaults are set here, in both.
/// </summary>
internal static class NativeEnvironment
{
    /// <summary>
    /// Sets <paramref name="variable"/> to <paramref name="value"/> (natively only where it is still unset) and
    /// <paramref name="marker"/> to "1", in the native environment and in .NET's copy, so a child process (the CLI
    /// re-executes itself) can tell the library's default from a user's setting.
    /// </summary>
    public static void SetDefault(string variable, string value, string marker)
    {
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
        {
            _ = SetNative(variable, value, 0);
            _ = SetNative(marker, "1", 1);
        }
        Environment.SetEnvironmentVariable(variable, value);
        Environment.SetEnvironmentVariable(marker, "1");
    }

    /// <summary>The native environment's value of <paramref name="name"/>, as native code reads it; null when unset or not on Unix.</summary>
    public static string? Get(string name) =>
        OperatingSystem.IsLinux() || OperatingSystem.IsMacOS() ? Marshal.PtrToStringUTF8(GetNative(name)) : null;

    [DllImport("libc", EntryPoint = "setenv")]
    private static extern int SetNative(string name, string value, int overwrite);

    [DllImport("libc", EntryPoint = "getenv")]
    private static extern IntPtr GetNative(string name);
}
