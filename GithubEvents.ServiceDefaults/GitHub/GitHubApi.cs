using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace GithubEvents.ServiceDefaults.GitHub;

/// <summary>The rate-limit headers of one answer; <see cref="Resource"/> names the budget (<c>core</c>, <c>graphql</c>).</summary>
public readonly record struct RateLimitStatus(int Limit, int Remaining, DateTimeOffset Reset, string? Resource = null);

/// <summary>How a service reaches the GitHub API, bound from <c>GitHub</c>; both services read the same settings.</summary>
public class GitHubApiOptions : IValidatableObject
{
    public const string SectionName = "GitHub";

    /// <summary>The REST API root; GitHub Enterprise Server's is <c>https://HOST/api/v3</c>.</summary>
    [Required(ErrorMessage = "GitHub:ApiUrl must be the API's absolute URL, e.g. https://api.github.com.")]
    public Uri ApiUrl { get; set; } = new("https://api.github.com");

    /// <summary>Optional: 5,000 requests an hour instead of 60, and the GraphQL API. Never logged.</summary>
    public string? Token { get; set; }

    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00", ErrorMessage = "GitHub:RequestTimeout must be between 0.1 s and 10 min.")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    [Required(ErrorMessage = "GitHub:UserAgent must identify this client, as GitHub requires.")]
    public string UserAgent { get; set; } = "GithubEvents";

    public bool HasToken => !string.IsNullOrWhiteSpace(Token);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (ApiUrl is { IsAbsoluteUri: false })
        {
            yield return new ValidationResult("GitHub:ApiUrl must be an absolute URL, e.g. https://api.github.com.", [nameof(ApiUrl)]);
        }
    }
}

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
