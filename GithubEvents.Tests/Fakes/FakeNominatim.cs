using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace GithubEvents.Tests.Fakes;

/// <summary>
/// Nominatim's <c>/search</c> as the recorded responses show it: a JSON array (empty when nothing matches),
/// and the HTML block page for a request without a User-Agent or when blocked on demand.
/// </summary>
public sealed partial class FakeNominatim(TimeProvider? timeProvider = null) : FakeHttpServer(timeProvider)
{
    private readonly Dictionary<string, string> _answers = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public static FakeNominatim WithRecordedFixtures(TimeProvider? timeProvider = null)
    {
        var nominatim = new FakeNominatim(timeProvider);
        nominatim.Answer("Cologne Cathedral, Cologne, Germany", UpstreamFixtures.ReadText("nominatim-responses", "geocoder-rb_nominatim_cologne_cathedral_cologne_germany.json"));
        nominatim.Answer("Madison Square Garden", UpstreamFixtures.ReadText("nominatim-responses", "geocoder-rb_nominatim_madison_square_garden.json"));
        nominatim.Answer("Portland Head Light", UpstreamFixtures.ReadText("nominatim-responses", "linecast_nominatim_search_jsonv2.json"));
        return nominatim;
    }

    /// <summary>The page Nominatim serves to a blocked client (the recording holds it with escaped newlines).</summary>
    public static string BlockPage { get; } = UpstreamFixtures.ReadText("nominatim-responses", "geocoder-rb_nominatim_over_limit.html")
        .Replace("\\n", "\n", StringComparison.Ordinal)
        .Replace("\\\"", "\"", StringComparison.Ordinal);

    /// <summary>Blocked for over-use: the HTML page with 429, as Nominatim answers it.</summary>
    public static Fault Blocked() => new(429, BlockPage, "text/html; charset=utf-8");

    /// <summary>Sets the JSON answer for a query (matched ignoring case and extra white space).</summary>
    public void Answer(string query, string json)
    {
        lock (_lock)
        {
            _answers[Key(query)] = json;
        }
    }

    protected override void MapEndpoints(WebApplication app) => app.MapGet("/search", Search);

    private Task Search(HttpContext context)
    {
        if (string.IsNullOrWhiteSpace(context.Request.Headers.UserAgent))
        {
            context.Response.StatusCode = 403;
            context.Response.ContentType = "text/html; charset=utf-8";
            return context.Response.WriteAsync(BlockPage);
        }

        var query = context.Request.Query["q"].ToString();
        if (query.Length == 0)
        {
            context.Response.StatusCode = 400;
            context.Response.ContentType = "application/json; charset=utf-8";
            return context.Response.WriteAsync("""{"error":{"code":400,"message":"Nothing to search for."}}""");
        }

        string? answer;
        lock (_lock)
        {
            _answers.TryGetValue(Key(query), out answer);
        }

        context.Response.ContentType = "application/json; charset=utf-8";
        return context.Response.WriteAsync(answer ?? "[]");
    }

    private static string Key(string query) => Spaces().Replace(query.Trim(), " ").ToLowerInvariant();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
