using System.Collections.Concurrent;
using System.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace GithubEvents.Tests.Fakes;

/// <summary>
/// One bucket of an S3-compatible store, path-style (<c>/BUCKET/KEY</c>), as much as the backfill reads of it:
/// ListObjectsV2 with a prefix and a delimiter, and GetObject; an object's body can be made to stall after some bytes
/// (<see cref="Stall"/>), which s3rver cannot do.
/// </summary>
public sealed class FakeS3Bucket(string name) : FakeHttpServer
{
    private readonly ConcurrentDictionary<string, byte[]> _objects = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _stalls = new(StringComparer.Ordinal);

    public string Name => name;

    public void Put(string key, byte[] content) => _objects[key] = content;

    /// <summary>Every GET of <paramref name="key"/> sends its first <paramref name="atByte"/> bytes, then nothing until the client gives up.</summary>
    public void Stall(string key, long atByte) => _stalls[key] = atByte;

    protected override void MapEndpoints(WebApplication app)
    {
        app.MapGet($"/{name}", List);
        app.MapGet($"/{name}/{{**key}}", GetAsync);
    }

    private IResult List(HttpContext context)
    {
        var prefix = context.Request.Query["prefix"].ToString();
        var keys = _objects.Keys.Where(key => key.StartsWith(prefix, StringComparison.Ordinal) && !key[prefix.Length..].Contains('/'))
            .Order(StringComparer.Ordinal).ToList();
        var contents = string.Concat(keys.Select(key => $"<Contents><Key>{SecurityElement.Escape(key)}</Key><Size>{_objects[key].Length}</Size></Contents>"));
        return Results.Content(
            $"""<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>{name}</Name><Prefix>{SecurityElement.Escape(prefix)}</Prefix><KeyCount>{keys.Count}</KeyCount><MaxKeys>1000</MaxKeys><Delimiter>/</Delimiter><IsTruncated>false</IsTruncated>{contents}</ListBucketResult>""",
            "application/xml");
    }

    private async Task GetAsync(HttpContext context, string key)
    {
        if (!_objects.TryGetValue(key, out var content))
        {
            context.Response.StatusCode = 404;
            context.Response.ContentType = "application/xml";
            await context.Response.WriteAsync($"""<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchKey</Code><Key>{SecurityElement.Escape(key)}</Key></Error>""");
            return;
        }

        context.Response.ContentType = "application/octet-stream";
        context.Response.ContentLength = content.Length;
        if (!_stalls.TryGetValue(key, out var stallAt))
        {
            await context.Response.Body.WriteAsync(content);
            return;
        }

        await context.Response.Body.WriteAsync(content.AsMemory(0, (int)Math.Min(stallAt, content.Length)));
        await context.Response.Body.FlushAsync();
        try
        {
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
