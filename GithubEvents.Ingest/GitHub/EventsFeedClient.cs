using System.Collections.Concurrent;
using System.Net;
using GithubEvents.Ingest.Events;
using GithubEvents.ServiceDefaults;
using GithubEvents.ServiceDefaults.GitHub;

namespace GithubEvents.Ingest.GitHub;

/// <summary>
/// GETs pages of 100 of an events feed (the public <c>/events</c>, or a watched repository's or organisation's), sending
/// each page's ETag back exactly as it was received so that an unchanged page costs a 304 and no quota.
/// </summary>
public sealed class EventsFeedClient(IHttpClientFactory httpClientFactory, TimeProvider time)
{
    public const string HttpClientName = "github-events";
    public const int PageSize = 100;

    // The live poller and the watch poller share the client, each with feeds of its own.
    private readonly ConcurrentDictionary<(string Feed, int Page), string> _etags = [];

    /// <param name="feed">The feed's path relative to <c>GitHub:ApiUrl</c>, e.g. <c>repos/dotnet/aspire/events</c>.</param>
    public async Task<FeedPage> GetPageAsync(string feed, int page, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, page == 1
            ? $"{feed}?per_page={PageSize}"
            : $"{feed}?per_page={PageSize}&page={page}");
        if (_etags.TryGetValue((feed, page), out var etag))
        {
            request.Headers.TryAddWithoutValidation("If-None-Match", etag);
        }

        try
        {
            using var response = await httpClientFactory.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
            return await ReadAsync(feed, page, response, cancellationToken);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Failed("timeout", "The request timed out");
        }
        catch (HttpRequestException ex)
        {
            return Failed("connection", ex.Message);
        }
        catch (IOException ex)
        {
            return Failed("connection", ex.Message);
        }
    }

    private async Task<FeedPage> ReadAsync(string feed, int page, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var rateLimit = GitHubApi.ReadRateLimit(response);
        var status = response.StatusCode;
        if (status == HttpStatusCode.NotModified)
        {
            return new FeedPage(FeedOutcome.NotModified) { RateLimit = rateLimit, PollInterval = ReadPollInterval(response) };
        }

        if (status is HttpStatusCode.Forbidden or HttpStatusCode.TooManyRequests)
        {
            var retryAfter = Retries.RetryAfter(response, time);
            return new FeedPage(GitHubApi.IsBudgetSpent(rateLimit, retryAfter) ? FeedOutcome.RateLimited : FeedOutcome.SecondaryRateLimited)
            {
                RateLimit = rateLimit,
                RetryAfter = retryAfter,
            };
        }

        if (status != HttpStatusCode.OK)
        {
            return Failed($"http_{(int)status}", $"GitHub answered {(int)status} {response.ReasonPhrase}") with { RateLimit = rateLimit };
        }

        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        var events = new List<RawEvent>();
        var rejected = new List<RejectedPiece>();
        foreach (var piece in FeedPageSplitter.Split(body))
        {
            var bytes = body.AsMemory(piece.Offset, piece.Length);
            if (!piece.IsElement)
            {
                rejected.Add(new RejectedPiece(bytes, $"not an element of the page's JSON array ({piece.Broken})", piece.Offset));
            }
            else if (EventJson.TryRead(bytes.Span, out var fields, out var reason))
            {
                events.Add(new RawEvent(bytes, fields));
            }
            else
            {
                rejected.Add(new RejectedPiece(bytes, reason, piece.Offset));
            }
        }

        // Kept as received: a reformatted weak ETag would not match and every poll would cost quota.
        if (response.Headers.NonValidated.TryGetValues("ETag", out var etags) && etags.Count == 1)
        {
            _etags[(feed, page)] = etags.First();
        }

        return new FeedPage(FeedOutcome.Events)
        {
            Events = events,
            Rejected = rejected,
            HasNextPage = response.Headers.NonValidated.TryGetValues("Link", out var links)
                && links.Any(link => link.Contains("rel=\"next\"", StringComparison.Ordinal)),
            PollInterval = ReadPollInterval(response),
            RateLimit = rateLimit,
        };
    }

    private static FeedPage Failed(string type, string message) =>
        new(FeedOutcome.Failed) { FailureType = type, FailureMessage = message };

    private static TimeSpan? ReadPollInterval(HttpResponseMessage response) =>
        GitHubApi.NumberHeader(response, "X-Poll-Interval") is { } seconds ? TimeSpan.FromSeconds(seconds) : null;
}
