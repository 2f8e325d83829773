using System.Text;
using TorchSharp;

namespace MlNetInverse.Physics.Runtime;

/// <summary>
/// Loads libtorch once and, when that fails, says why in one line. TorchSharp's own message ("doesn't contain a
/// reference to libtorch-cpu-linux-x64") is the same whatever went wrong; the usual causes on Linux are a missing
/// backend package and, on Debian 12, the GLIBCXX version need that the package's build step marks weak.
/// </summary>
public static class LibTorchNativeCheck
{
    private const string LibTorchSharp = "libLibTorchSharp.so";
    private const string SystemLibStdCxx = "/usr/lib/x86_64-linux-gnu/libstdc++.so.6";
    private static readonly Lazy<string?> Failure = new(Probe, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Loads libtorch's CPU backend (once per process).</summary>
    /// <exception cref="InvalidOperationException">libtorch cannot load; the message names the cause.</exception>
    public static void EnsureLoaded()
    {
        if (Failure.Value is { } why) throw new InvalidOperationException(why);
    }

    private static string? Probe()
    {
        try
        {
            torch.InitializeDeviceType(DeviceType.CPU);
            return null;
        }
        catch (Exception e) when (e is NotSupportedException or DllNotFoundException or TypeInitializationException or BadImageFormatException)
        {
            return Diagnose(NativeFolders(), File.Exists(SystemLibStdCxx) ? SystemLibStdCxx : null, e.Message);
        }
    }

    /// <summary>Where .NET looks for the app's native libraries: its folder and the runtimes/linux-x64/native subfolder.</summary>
    private static IEnumerable<string> NativeFolders()
    {
        var app = AppContext.BaseDirectory;
        return [app, Path.Combine(app, "runtimes", "linux-x64", "native")];
    }

    /// <summary>The one-line cause of a failed native load, from what lies in <paramref name="folders"/>.</summary>
    /// <param name="folders">Folders that would hold libLibTorchSharp.so and libtorch.so.</param>
    /// <param name="libStdCxx">The system's libstdc++ (null where unknown).</param>
    /// <param name="torchMessage">TorchSharp's own message, kept at the end.</param>
    internal static string Diagnose(IEnumerable<string> folders, string? libStdCxx, string torchMessage)
    {
        var list = folders.ToArray();
        var bridge = list.Select(f => Path.Combine(f, LibTorchSharp)).FirstOrDefault(File.Exists);
        if (bridge is null)
        {
            return $"libtorch cannot load: TorchSharp's native {LibTorchSharp} is not in the app folder ({string.Join(", ", list)}); " +
                   $"restore and build the application again. (TorchSharp: {torchMessage})";
        }

        var needs = StrongGlibcxxNeeds(File.ReadAllBytes(bridge));
        var systemMax = libStdCxx is null ? (int?)null : HighestGlibcxx(File.ReadAllBytes(libStdCxx));
        var unmet = needs.Where(minor => systemMax is null || minor > systemMax).ToArray();
        if (unmet.Length > 0 && systemMax is not null)
        {
            return $"libtorch cannot load: {bridge} needs GLIBCXX_3.4.{unmet.Max()} but this system's libstdc++ stops at " +
                   $"GLIBCXX_3.4.{systemMax}. The MlNetInverse build step that marks that need weak did not run on this output: " +
                   "build or publish the application with an MlNetInverse package referenced (its buildTransitive targets apply the fix). " +
                   $"(TorchSharp: {torchMessage})";
        }

        if (!list.Any(f => File.Exists(Path.Combine(f, "libtorch.so")) || File.Exists(Path.Combine(f, "libtorch_cpu.so"))))
        {
            return "libtorch cannot load: no libtorch backend in the app folder. Reference one in the application: " +
                   "<PackageReference Include=\"libtorch-cpu-linux-x64\" Version=\"2.10.0\" /> (or a libtorch CUDA package). " +
                   $"(TorchSharp: {torchMessage})";
        }

        return $"libtorch cannot load although {LibTorchSharp} and a backend are present (TorchSharp: {torchMessage}); run `ldd {bridge}` to see which library is missing.";
    }

    /// <summary>The GLIBCXX_3.4.N minors of version needs (.gnu.version_r) in an ELF64 file that are not marked weak.</summary>
    internal static IReadOnlyList<int> StrongGlibcxxNeeds(byte[] elf)
    {
        const uint ShtGnuVerneed = 0x6ffffffe;
        const ushort VerFlgWeak = 2;
        var found = new List<int>();
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != 'E' || elf[2] != 'L' || elf[3] != 'F' || elf[4] != 2) return found;
        long sectionTable = BitConverter.ToInt64(elf, 0x28);
        int sectionSize = BitConverter.ToUInt16(elf, 0x3A);
        int sectionCount = BitConverter.ToUInt16(elf, 0x3C);
        for (int s = 0; s < sectionCount; s++)
        {
            int header = checked((int)(sectionTable + (long)s * sectionSize));
            if (BitConverter.ToUInt32(elf, header + 4) != ShtGnuVerneed) continue;
            int need = checked((int)BitConverter.ToInt64(elf, header + 24));
            int needCount = (int)BitConverter.ToUInt32(elf, header + 44);
            int stringsHeader = checked((int)(sectionTable + (long)BitConverter.ToUInt32(elf, header + 40) * sectionSize));
            int strings = checked((int)BitConverter.ToInt64(elf, stringsHeader + 24));
            for (int n = 0; n < needCount; n++)
            {
                int aux = need + (int)BitConverter.ToUInt32(elf, need + 8);
                for (int a = 0; a < BitConverter.ToUInt16(elf, need + 2); a++)
                {
                    int nameStart = strings + (int)BitConverter.ToUInt32(elf, aux + 8);
                    var name = Encoding.ASCII.GetString(elf, nameStart, Array.IndexOf(elf, (byte)0, nameStart) - nameStart);
                    bool weak = (BitConverter.ToUInt16(elf, aux + 4) & VerFlgWeak) != 0;
                    if (!weak && TryGlibcxxMinor(name, out var minor)) found.Add(minor);
                    aux += (int)BitConverter.ToUInt32(elf, aux + 12);
                }
                need += (int)BitConverter.ToUInt32(elf, need + 12);
            }
        }
        return found;
    }

    /// <summary>The highest GLIBCXX_3.4.N a libstdc++ defines (its version strings; a plain scan is enough for that).</summary>
    internal static int? HighestGlibcxx(byte[] libStdCxx)
    {
        var marker = Encoding.ASCII.GetBytes("GLIBCXX_3.4.");
        int? highest = null;
        for (int at = libStdCxx.AsSpan().IndexOf(marker); at >= 0;)
        {
            int end = at + marker.Length;
            int minor = 0, digits = 0;
            while (end < libStdCxx.Length && libStdCxx[end] is >= (byte)'0' and <= (byte)'9') { minor = minor * 10 + libStdCxx[end++] - '0'; digits++; }
            if (digits > 0 && libStdCxx[end] == 0) highest = Math.Max(highest ?? 0, minor);
            int next = libStdCxx.AsSpan(end).IndexOf(marker);
            at = next < 0 ? -1 : end + next;
        }
        return highest;
    }

    private static bool TryGlibcxxMinor(string version, out int minor)
    {
        minor = 0;
        return version.StartsWith("GLIBCXX_3.4.", StringComparison.Ordinal) && int.TryParse(version.AsSpan(12), out minor);
    }
}
