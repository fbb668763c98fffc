using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace GithubEvents.Tests.Fakes;

/// <summary>
/// Nominatim's <c>/search</c> as the recorded responses show it: a JSON array (empty when nothing matches),
/// and the HTML block page for a request without a User-Agent or when blocked on demand. A query can be refused on demand
/// (<see cref="Refuse"/>): a 500, a 400, or an answer that hangs, for that query alone.
/// </summary>
public sealed partial class FakeNominatim(TimeProvider? timeProvider = null) : FakeHttpServer(timeProvider)
{
    private readonly Dictionary<string, string> _answers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Fault> _refusals = new(StringComparer.Ordinal);
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

    /// <summary>A 500 with Nominatim's JSON error, as its server gives for a query it fails on.</summary>
    public static Fault ServerError() => new(500, """{"error":{"code":500,"message":"Internal Server Error"}}""");

    /// <summary>A 400 with Nominatim's JSON error, as it answers a query it will not search.</summary>
    public static Fault BadRequest() => new(400, """{"error":{"code":400,"message":"Bad request"}}""");

    /// <summary>No answer for <paramref name="delay"/>, for a client to time out on.</summary>
    public static Fault Hangs(TimeSpan delay) => new(200, "[]") { Delay = delay };

    /// <summary>Sets the JSON answer for a query (matched ignoring case and extra white space), and ends its refusal.</summary>
    public void Answer(string query, string json)
    {
        lock (_lock)
        {
            _answers[Key(query)] = json;
            _refusals.Remove(Key(query));
        }
    }

    /// <summary>Answers every request for the query with the fault, until <see cref="Answer"/> sets its answer.</summary>
    public void Refuse(string query, Fault fault)
    {
        lock (_lock)
        {
            _refusals[Key(query)] = fault;
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
        Fault? refusal;
        lock (_lock)
        {
            _answers.TryGetValue(Key(query), out answer);
            _refusals.TryGetValue(Key(query), out refusal);
        }

        if (refusal is not null)
        {
            return WriteFaultAsync(context.Response, refusal);
        }

        context.Response.ContentType = "application/json; charset=utf-8";
        return context.Response.WriteAsync(answer ?? "[]");
    }

    private static string Key(string query) => Spaces().Replace(query.Trim(), " ").ToLowerInvariant();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
