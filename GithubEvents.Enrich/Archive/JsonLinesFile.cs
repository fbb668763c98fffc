using System.IO.Compression;

namespace GithubEvents.Enrich.Archive;

/// <summary>
/// An hour's events in GH Archive's format: one event a line, gzip, digested as it is written. The same lines give the
/// same bytes: a fixed level, the same buffering, and a gzip header without a file name or a time (.NET writes neither).
/// </summary>
public sealed class JsonLinesFile : IAsyncDisposable
{
    private readonly DigestingStream _file;
    private readonly BufferedStream _buffer;

    public JsonLinesFile(string path)
    {
        _file = new DigestingStream(path);
        // The buffer disposes the gzip stream, which leaves the file open to be digested.
        _buffer = new BufferedStream(new GZipStream(_file, CompressionLevel.Optimal, leaveOpen: true), 1 << 16);
    }

    public void Write(ArchivedEvent row)
    {
        EventLine.Write(_buffer, row.Envelope, row.SentPayload);
        _buffer.WriteByte((byte)'\n');
    }

    /// <summary>Writes what is buffered and the gzip trailer; the file's digest under <paramref name="key"/>.</summary>
    public async Task<FileDigest> CompleteAsync(string key)
    {
        await _buffer.DisposeAsync();
        return _file.Digest(key);
    }

    public async ValueTask DisposeAsync()
    {
        await _buffer.DisposeAsync();
        await _file.DisposeAsync();
    }
}
