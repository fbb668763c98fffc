using System.Net;
using GithubEvents.ServiceDefaults;

namespace GithubEvents.Ingest.Archive;

/// <summary>
/// An archive file's compressed bytes as one stream, whatever the connection does: a read that brings nothing for
/// <see cref="GhArchiveOptions.ReadTimeout"/>, or a broken connection, is abandoned and the download resumed where it
/// stopped, with <c>Range: bytes=N-</c> (GH Archive's storage honours it); a server that answers with the whole file
/// instead has its first N bytes skipped. Either way the bytes go on exactly where they stopped, so the decompression
/// continues and no line is read twice. At most <see cref="GhArchiveOptions.ReadAttempts"/> attempts in a row without a
/// byte, with a back-off between them; then the read fails with an <see cref="IOException"/>.
/// </summary>
public sealed partial class ArchiveDownload : ReadOnlyStream
{
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LastBackoff = TimeSpan.FromSeconds(30);

    private readonly HttpClient _http;
    private readonly Uri _url;
    private readonly GhArchiveOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private HttpResponseMessage? _response;
    private Stream? _body;
    private long _position;

    private ArchiveDownload(HttpClient http, Uri url, GhArchiveOptions options, TimeProvider time, ILogger logger) =>
        (_http, _url, _options, _time, _logger) = (http, url, options, time, logger);

    /// <summary>The file's size, when the server said.</summary>
    public long? FileLength { get; private set; }

    /// <summary>The first answer; an HTTP error (404 for an hour the archive does not have) is thrown as it is.</summary>
    public static async Task<ArchiveDownload> OpenAsync(HttpClient http, Uri url, GhArchiveOptions options, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        var download = new ArchiveDownload(http, url, options, time, logger);
        try
        {
            await download.WithRetriesAsync(() => download.ConnectAsync(cancellationToken), cancellationToken);
            return download;
        }
        catch
        {
            await download.DisposeAsync();
            throw;
        }
    }

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        await WithRetriesAsync(async () =>
        {
            if (_body is null)
            {
                await ConnectAsync(cancellationToken);
            }

            var read = await WithTimeoutAsync(token => _body!.ReadAsync(buffer, token), cancellationToken);
            if (read == 0 && FileLength is { } length && _position < length)
            {
                throw new IOException($"the answer ended at byte {_position} of {length}");
            }

            _position += read;
            return read;
        }, cancellationToken);

    public override async ValueTask DisposeAsync()
    {
        Drop();
        await base.DisposeAsync();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Drop();
        }

        base.Dispose(disposing);
    }

    // Attempts in a row that brought no byte are counted; a timeout, a broken connection or a 5xx is worth another.
    private async Task<T> WithRetriesAsync<T>(Func<Task<T>> attempt, CancellationToken cancellationToken)
    {
        for (var failures = 1; ; failures++)
        {
            string problem;
            try
            {
                return await attempt();
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                problem = $"nothing arrived for {_options.ReadTimeout} (GhArchive:ReadTimeout)";
            }
            catch (HttpRequestException ex) when (ex.StatusCode is null or >= HttpStatusCode.InternalServerError)
            {
                problem = ex.Message;
            }
            catch (IOException ex)
            {
                problem = ex.Message;
            }

            Drop();
            if (failures >= _options.ReadAttempts)
            {
                throw new IOException($"the download stopped at byte {_position} and {failures} attempts in a row to resume it failed (GhArchive:ReadAttempts); the last: {problem}");
            }

            var wait = Retries.Exponential(FirstBackoff, LastBackoff, failures);
            LogResuming(_url, _position, problem, wait);
            await Task.Delay(wait, _time, cancellationToken);
        }
    }

    private async Task<bool> ConnectAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, _url);
        if (_position > 0)
        {
            request.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(_position, null);
        }

        _response = await WithTimeoutAsync(token => _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, token), cancellationToken);
        if (!_response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"GH Archive answered {(int)_response.StatusCode} {_response.ReasonPhrase} for {_url}", null, _response.StatusCode);
        }

        var partial = _response.StatusCode == HttpStatusCode.PartialContent;
        if (partial && _response.Content.Headers.ContentRange?.From != _position)
        {
            throw new IOException($"GH Archive answered a range that does not start at byte {_position}");
        }

        FileLength ??= _response.Content.Headers.ContentRange?.Length ?? _response.Content.Headers.ContentLength;
        _body = await _response.Content.ReadAsStreamAsync(cancellationToken);
        if (!partial && _position > 0)
        {
            await SkipAsync(_position, cancellationToken);
        }

        return true;
    }

    // The server ignored the range: the bytes read before go by again.
    private async Task SkipAsync(long count, CancellationToken cancellationToken)
    {
        var scratch = new byte[64 * 1024];
        while (count > 0)
        {
            var read = await WithTimeoutAsync(token => _body!.ReadAsync(scratch.AsMemory(0, (int)Math.Min(scratch.Length, count)), token), cancellationToken);
            if (read == 0)
            {
                throw new IOException($"the answer ended before byte {_position}, where the download had stopped");
            }

            count -= read;
        }
    }

    private async Task<T> WithTimeoutAsync<T>(Func<CancellationToken, ValueTask<T>> read, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.ReadTimeout);
        return await read(timeout.Token);
    }

    private Task<T> WithTimeoutAsync<T>(Func<CancellationToken, Task<T>> read, CancellationToken cancellationToken) =>
        WithTimeoutAsync(token => new ValueTask<T>(read(token)), cancellationToken);

    private void Drop()
    {
        _body?.Dispose();
        _response?.Dispose();
        (_body, _response) = (null, null);
    }

    [LoggerMessage(LogLevel.Warning, "The download of {Url} stopped at byte {Position} ({Problem}); resuming in {Wait}")]
    private partial void LogResuming(Uri url, long position, string problem, TimeSpan wait);
}
