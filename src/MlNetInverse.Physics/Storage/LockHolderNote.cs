using System.Runtime.InteropServices;
using System.Text;

namespace MlNetInverse.Physics.Storage;

/// <summary>
/// Reads the holder's note from a locked lock file. .NET takes a shared <c>flock</c> on every file it opens, which the
/// holder's exclusive one refuses, so the note is read with plain POSIX open/read (advisory locks do not stop them).
/// Returns null where that is not possible (Windows, where the sharing lock blocks every reader).
/// </summary>
internal static class LockHolderNote
{
    private const int ReadOnly = 0;
    private const int MaxBytes = 4096;

    public static string? TryRead(string lockPath)
    {
        if (OperatingSystem.IsWindows()) return null;
        try
        {
            int fd = Open(lockPath, ReadOnly);
            if (fd < 0) return null;
            try
            {
                var buffer = new byte[MaxBytes];
                nint read = Read(fd, buffer, buffer.Length);
                return read <= 0 ? null : Encoding.UTF8.GetString(buffer, 0, (int)read).Trim();
            }
            finally
            {
                Close(fd);
            }
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "read", SetLastError = true)]
    private static extern nint Read(int fd, [Out] byte[] buffer, nint count);

    [DllImport("libc", EntryPoint = "close")]
    private static extern int Close(int fd);
}
