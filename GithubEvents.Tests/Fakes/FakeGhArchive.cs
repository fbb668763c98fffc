using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace GithubEvents.Tests.Fakes;

/// <summary>data.gharchive.org: hourly <c>YYYY-MM-DD-H.json.gz</c> files at the root, 404 for hours it does not have.</summary>
public sealed class FakeGhArchive : FakeHttpServer
{
    private readonly ConcurrentDictionary<string, byte[]> _files = new(StringComparer.Ordinal);

    public void Serve(string fileName, byte[] gzip) => _files[fileName] = gzip;

    protected override void MapEndpoints(WebApplication app) =>
        app.MapGet("/{file}", (string file) => _files.TryGetValue(file, out var gzip)
            ? Results.Bytes(gzip, "application/gzip")
            : Results.NotFound());
}
