using System.Net;
using System.Text.Json;
using GithubEvents.ServiceDefaults;
using GithubEvents.ServiceDefaults.GitHub;

namespace GithubEvents.Enrich.Profiles;

/// <summary>
/// One request to GitHub's REST or GraphQL API, and what its answer means for the budgets: a 200 is read by the
/// caller, every other status (and a timeout, a refused connection, a body of another shape) becomes an
/// <see cref="AnswerKind"/> with the rate limit GitHub reported.
/// </summary>
public static class GitHubRequests
{
    public static async Task<GitHubAnswer> SendAsync(
        HttpClient http,
        HttpRequestMessage request,
        Func<HttpResponseMessage, RateLimitStatus?, Task<GitHubAnswer>> read,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            var rateLimit = GitHubApi.ReadRateLimit(response);
            return response.StatusCode switch
            {
                HttpStatusCode.OK => await read(response, rateLimit),
                HttpStatusCode.NotModified => new GitHubAnswer(AnswerKind.NotModified) { RateLimit = rateLimit },
                HttpStatusCode.NotFound or HttpStatusCode.Gone => new GitHubAnswer(AnswerKind.NotFound) { RateLimit = rateLimit },
                HttpStatusCode.Unauthorized => new GitHubAnswer(AnswerKind.Unauthorized) { RateLimit = rateLimit, Failure = "401 Unauthorized" },
                HttpStatusCode.Forbidden or HttpStatusCode.TooManyRequests => Limited(response, rateLimit, time),
                var status => new GitHubAnswer(AnswerKind.Failed) { RateLimit = rateLimit, Failure = $"GitHub answered {(int)status} {response.ReasonPhrase}" },
            };
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new GitHubAnswer(AnswerKind.Failed) { Failure = "The request timed out" };
        }
        // A body in another shape than asked for: a missing member (KeyNotFoundException), a value of another kind
        // (InvalidOperationException) or format (FormatException).
        catch (Exception ex) when (ex is HttpRequestException or IOException or JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return new GitHubAnswer(AnswerKind.Failed) { Failure = ex.Message };
        }
    }

    /// <summary>
    /// A GraphQL answer (always a 200): the points budget as its <c>rateLimit</c> field gives it (else the headers), and
    /// <see cref="AnswerKind.RateLimited"/>, with nothing left, when GitHub refused the query for the budget.
    /// </summary>
    public static GitHubAnswer GraphQLAnswer(GraphQLRateLimit? points, RateLimitStatus? headerRateLimit, bool rateLimited)
    {
        var rateLimit = points is { } known
            ? new RateLimitStatus(known.Limit, known.Remaining, known.ResetAt, ProfileBudget.GraphQL)
            : headerRateLimit;
        return rateLimited
            ? new GitHubAnswer(AnswerKind.RateLimited) { RateLimit = rateLimit is { } spent ? spent with { Remaining = 0 } : null }
            : new GitHubAnswer(AnswerKind.Answered) { RateLimit = rateLimit };
    }

    private static GitHubAnswer Limited(HttpResponseMessage response, RateLimitStatus? rateLimit, TimeProvider time)
    {
        var retryAfter = Retries.RetryAfter(response, time);
        return new GitHubAnswer(GitHubApi.IsBudgetSpent(rateLimit, retryAfter) ? AnswerKind.RateLimited : AnswerKind.SecondaryRateLimited)
        {
            RateLimit = rateLimit,
            RetryAfter = retryAfter,
        };
    }
}
