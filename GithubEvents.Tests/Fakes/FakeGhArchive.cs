using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace GithubEvents.Tests.Fakes;

/// <summary>
/// data.gharchive.org: hourly <c>YYYY-MM-DD-H.json.gz</c> files at the root, 404 for hours it does not have, with a
/// Content-Length and <c>Range: bytes=N-</c> answered 206 as its storage does (unless <see cref="HonoursRange"/> is
/// off); a download can be made to stall in the middle of its body (<see cref="Stall"/>).
/// </summary>
public sealed class FakeGhArchive : FakeHttpServer
{
    private readonly ConcurrentDictionary<string, byte[]> _files = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConcurrentQueue<long>> _stalls = new(StringComparer.Ordinal);

    /// <summary>False: a Range header is ignored and the whole file sent with 200, as some servers and proxies do.</summary>
    public bool HonoursRange { get; set; } = true;

    public void Serve(string fileName, byte[] gzip) => _files[fileName] = gzip;

    /// <summary>
    /// The next answers for the file, one for each position, send the file's bytes up to that position (from where the
    /// answer starts, at once when it starts past it) and then nothing more, until the client gives up.
    /// </summary>
    public void Stall(string fileName, params long[] atBytes)
    {
        var stalls = _stalls.GetOrAdd(fileName, _ => new ConcurrentQueue<long>());
        foreach (var at in atBytes)
        {
            stalls.Enqueue(at);
        }
    }

    protected override void MapEndpoints(WebApplication app) =>
        app.MapGet("/{file}", ServeAsync);

    private async Task ServeAsync(HttpContext context, string file)
    {
        if (!_files.TryGetValue(file, out var gzip))
        {
            context.Response.StatusCode = 404;
            return;
        }

        var from = HonoursRange ? RangeStart(context.Request.Headers.Range.ToString()) : 0;
        context.Response.ContentType = "application/gzip";
        context.Response.Headers.AcceptRanges = "bytes";
        context.Response.ContentLength = gzip.Length - from;
        if (from > 0)
        {
            context.Response.StatusCode = 206;
            context.Response.Headers.ContentRange = string.Create(CultureInfo.InvariantCulture, $"bytes {from}-{gzip.Length - 1}/{gzip.Length}");
        }

        if (!(_stalls.TryGetValue(file, out var stalls) && stalls.TryDequeue(out var stallAt)))
        {
            await context.Response.Body.WriteAsync(gzip.AsMemory((int)from));
            return;
        }

        var until = (int)Math.Clamp(stallAt, from, gzip.Length);
        await context.Response.Body.WriteAsync(gzip.AsMemory((int)from, until - (int)from));
        await context.Response.Body.FlushAsync();
        try
        {
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static long RangeStart(string range) =>
        range.StartsWith("bytes=", StringComparison.Ordinal) && range.EndsWith('-')
            && long.TryParse(range.AsSpan(6, range.Length - 7), NumberStyles.None, CultureInfo.InvariantCulture, out var start)
            ? start
            : 0;
}
