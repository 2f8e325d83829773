using MlNetInverse.Physics.Storage;

namespace MlNetInverse.Tests.Reliability;

/// <summary>Injected faults for the atomic-write tests.</summary>
internal static class FailingStream
{
    /// <summary>
    /// A writer body that writes <paramref name="bytes"/> bytes into the stream it is given and then fails like a full
    /// disk or a crash would, in the middle of the file.
    /// </summary>
    public static Action<Stream> WritesThenFails(int bytes) => stream =>
    {
        stream.Write(Enumerable.Range(0, bytes).Select(i => (byte)i).ToArray());
        stream.Flush();
        throw new IOException($"injected failure after {bytes} bytes");
    };

    /// <summary>
    /// Until disposed, every atomic write (all layers share <see cref="AtomicFile"/>) that runs in this test's async flow
    /// goes through a stream that lets <paramref name="bytes"/> bytes reach the temp file and then throws, so the
    /// real writer fails in the middle of its file.
    /// </summary>
    public static IDisposable FailAfter(int bytes)
    {
        Func<Stream, Stream> filter = inner => new Failing(inner, bytes);
        AtomicFile.StreamFilter.Value = filter;
        return new Scope();
    }

    /// <summary>Every file in <paramref name="folder"/> that is not one of <paramref name="expected"/> (temp leftovers).</summary>
    public static string[] Leftovers(string folder, params string[] expected) =>
        Directory.GetFiles(folder).Select(Path.GetFileName).Where(f => !expected.Contains(f)).ToArray()!;

    private sealed class Scope : IDisposable
    {
        public void Dispose() => AtomicFile.StreamFilter.Value = null;
    }

    /// <summary>Passes writes through until its budget is spent, then writes what still fits and throws.</summary>
    private sealed class Failing(Stream inner, int budget) : Stream
    {
        private long _left = budget;

        public override bool CanRead => inner.CanRead;
        public override bool CanSeek => inner.CanSeek;
        public override bool CanWrite => true;
        public override long Length => inner.Length;

        public override long Position
        {
            get => inner.Position;
            set => inner.Position = value;
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            int fits = (int)Math.Min(_left, buffer.Length);
            inner.Write(buffer[..fits]);
            _left -= fits;
            if (fits < buffer.Length) throw new IOException($"injected failure after {budget} bytes");
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Write(buffer.Span);
            return ValueTask.CompletedTask;
        }

        public override void WriteByte(byte value) => Write([value]);

        public override void Flush() => inner.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);

        public override void SetLength(long value) => inner.SetLength(value);
    }
}
