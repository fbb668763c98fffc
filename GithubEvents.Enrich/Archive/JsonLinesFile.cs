using System.IO.Compression;
using System.Text;

namespace GithubEvents.Enrich.Archive;

/// <summary>
/// An hour's events in GH Archive's format: one event a line, gzip. The same lines give the same bytes: a fixed level,
/// and a gzip header without a file name or a time (.NET writes neither).
/// </summary>
public sealed class JsonLinesFile : IAsyncDisposable
{
    private readonly FileStream _file;
    private readonly GZipStream _gzip;
    private readonly StreamWriter _writer;

    public JsonLinesFile(string path)
    {
        _file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
        _gzip = new GZipStream(_file, CompressionLevel.Optimal);
        _writer = new StreamWriter(_gzip, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), 1 << 16) { NewLine = "\n" };
    }

    public Task WriteAsync(ArchivedEvent row) => _writer.WriteLineAsync(row.Event);

    public async ValueTask DisposeAsync()
    {
        await _writer.DisposeAsync();
        await _gzip.DisposeAsync();
        await _file.DisposeAsync();
    }
}
