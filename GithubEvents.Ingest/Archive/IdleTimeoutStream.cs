namespace GithubEvents.Ingest.Archive;

/// <summary>
/// A read-only pass-through whose every read must bring something within <paramref name="timeout"/>
/// (<see cref="GhArchiveOptions.ReadTimeout"/>), else it fails with an <see cref="IOException"/> naming the setting: for
/// an S3 object's body, which the SDK reads without an idle limit of its own.
/// </summary>
public sealed class IdleTimeoutStream(Stream inner, TimeSpan timeout) : ReadOnlyStream
{
    /// <summary>Runs <paramref name="read"/> (a request, a read of the body) with the time limit.</summary>
    public static async Task<T> WithinAsync<T>(TimeSpan timeout, Func<CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            return await read(limit.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new IOException($"nothing arrived for {timeout} (GhArchive:ReadTimeout)");
        }
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        await WithinAsync(timeout, token => inner.ReadAsync(buffer, token).AsTask(), cancellationToken);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
