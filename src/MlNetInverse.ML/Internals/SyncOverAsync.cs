namespace MlNetInverse.ML.Internals;

/// <summary>
/// Runs Parquet.Net's async API from ML.NET's synchronous cursors. The work runs on the thread pool, outside any
/// synchronization context of the caller (test runners and UI apps install one), so blocking on it cannot deadlock.
/// Exceptions surface unwrapped.
/// </summary>
internal static class SyncOverAsync
{
    public static T Run<T>(Func<Task<T>> work) => Task.Run(work).GetAwaiter().GetResult();

    public static void Run(Func<Task> work) => Task.Run(work).GetAwaiter().GetResult();
}
