using System.Globalization;

namespace GithubEvents.ServiceDefaults.GitHub;

/// <summary>What every request to the GitHub API carries, and what every answer says about the budget.</summary>
public static class GitHubApi
{
    /// <summary>After a secondary limit without Retry-After: a minute, as GitHub asks, doubling up to the maximum.</summary>
    public static readonly TimeSpan SecondaryLimitMinimum = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan SecondaryLimitMaximum = TimeSpan.FromMinutes(30);

    /// <summary>After a failure worth retrying (5xx, a timeout, a malformed body): a second, doubling to five minutes.</summary>
    public static readonly TimeSpan FailureMinimum = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan FailureMaximum = TimeSpan.FromMinutes(5);

    /// <summary>A reset given in whole seconds by a clock that is not ours: waits end a little past it.</summary>
    public static readonly TimeSpan ResetMargin = TimeSpan.FromSeconds(1);

    /// <summary>Of a 403 or 429: the budget is spent (nothing remains, no Retry-After), rather than a secondary limit.</summary>
    public static bool IsBudgetSpent(RateLimitStatus? rateLimit, TimeSpan? retryAfter) => retryAfter is null && rateLimit is { Remaining: 0 };

    /// <summary>Base address, timeout, media type, API version, User-Agent and, when there is one, the token.</summary>
    public static void Configure(HttpClient http, GitHubApiOptions options)
    {
        http.BaseAddress = new Uri(options.ApiUrl.AbsoluteUri.TrimEnd('/') + "/");
        http.Timeout = options.RequestTimeout;
        http.DefaultRequestHeaders.Accept.ParseAdd("application/vnd.github+json");
        http.DefaultRequestHeaders.Add("X-GitHub-Api-Version", "2022-11-28");
        http.DefaultRequestHeaders.UserAgent.ParseAdd(options.UserAgent);
        if (options.HasToken)
        {
            http.DefaultRequestHeaders.Authorization = new("Bearer", options.Token);
        }
    }

    public static RateLimitStatus? ReadRateLimit(HttpResponseMessage response) =>
        NumberHeader(response, "X-RateLimit-Limit") is { } limit
        && NumberHeader(response, "X-RateLimit-Remaining") is { } remaining
        && NumberHeader(response, "X-RateLimit-Reset") is { } reset
            ? new RateLimitStatus((int)limit, (int)remaining, DateTimeOffset.FromUnixTimeSeconds(reset),
                response.Headers.NonValidated.TryGetValues("X-RateLimit-Resource", out var resource) ? resource.FirstOrDefault() : null)
            : null;

    /// <summary>The header's whole number, or null when it is missing or not one.</summary>
    public static long? NumberHeader(HttpResponseMessage response, string name) =>
        response.Headers.NonValidated.TryGetValues(name, out var values)
        && long.TryParse(values.FirstOrDefault(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : null;
}
