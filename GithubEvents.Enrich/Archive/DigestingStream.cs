using System.Security.Cryptography;

namespace GithubEvents.Enrich.Archive;

/// <summary>
/// A file written front to back and digested on the way (SHA-256 and bytes), so that it is not read back to be digested.
/// What the digest must prove is that the file at its key holds exactly the bytes it names; it does as long as every byte
/// reaches the file through here, in order, and none is changed afterwards, so seeking (a writer patching what it wrote)
/// is refused rather than digested wrong.
/// </summary>
public sealed class DigestingStream(string path) : Stream
{
    private readonly FileStream _file = new(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private long _bytes;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => _bytes;

    public override long Position
    {
        get => _bytes;
        set => throw new NotSupportedException("An archive file is written front to back.");
    }

    /// <summary>The file's key, bytes and digest; call once everything is written.</summary>
    public FileDigest Digest(string key) => new(key, _bytes, Convert.ToHexStringLower(_hash.GetCurrentHash()));

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        _hash.AppendData(buffer);
        _file.Write(buffer);
        _bytes += buffer.Length;
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        _hash.AppendData(buffer.Span);
        _bytes += buffer.Length;
        return _file.WriteAsync(buffer, cancellationToken);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush() => _file.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => _file.FlushAsync(cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException("An archive file is written front to back.");

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _file.Dispose();
            _hash.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await _file.DisposeAsync();
        _hash.Dispose();
        await base.DisposeAsync();
    }
}
