using System.Text;
using System.Text.Json;
using GithubEvents.ServiceDefaults.GitHub;
using Microsoft.Extensions.Options;

namespace GithubEvents.Enrich.Profiles;

/// <summary>
/// Looks profiles up: many at once through GraphQL, or one at a time through <c>GET /users/{login}</c> with the ETag of
/// the last answer, so that an unchanged profile costs a 304 and no quota.
/// </summary>
public sealed class GitHubProfileClient(IHttpClientFactory httpClientFactory, IOptions<ProfileOptions> options, IOptions<GitHubApiOptions> github, TimeProvider time)
{
    public const string HttpClientName = "github-profiles";

    public Uri GraphQLUrl { get; } = options.Value.GraphQLUrl ?? DefaultGraphQLUrl(github.Value.ApiUrl);

    /// <summary>github.com answers GraphQL at <c>api.github.com/graphql</c>, GitHub Enterprise Server at <c>HOST/api/graphql</c> beside <c>/api/v3</c>.</summary>
    public static Uri DefaultGraphQLUrl(Uri apiUrl)
    {
        var root = apiUrl.AbsoluteUri.TrimEnd('/');
        return new Uri(root.EndsWith("/v3", StringComparison.OrdinalIgnoreCase) ? root[..^3] + "/graphql" : root + "/graphql");
    }

    public async Task<GitHubAnswer> FetchBatchAsync(IReadOnlyList<string> logins, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, GraphQLUrl)
        {
            Content = new StringContent(ProfileQuery.Build(logins), Encoding.UTF8, "application/json"),
        };
        return await SendAsync(request, async (response, headerRateLimit) =>
        {
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            var batch = ProfileQuery.Parse(body, logins);
            return GitHubRequests.GraphQLAnswer(batch.RateLimit, headerRateLimit, batch.RateLimited) with { Profiles = batch.Profiles };
        }, cancellationToken);
    }

    public async Task<GitHubAnswer> FetchUserAsync(string login, string? etag, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"users/{Uri.EscapeDataString(login)}");
        if (etag is not null)
        {
            request.Headers.TryAddWithoutValidation("If-None-Match", etag);
        }

        return await SendAsync(request, async (response, rateLimit) =>
        {
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            var profile = ReadUser(body);
            return new GitHubAnswer(AnswerKind.Answered)
            {
                Profiles = new Dictionary<string, GitHubProfile?>(StringComparer.OrdinalIgnoreCase) { [login] = profile },
                // Kept as received: a reformatted weak ETag would not match.
                ETag = response.Headers.NonValidated.TryGetValues("ETag", out var etags) ? etags.FirstOrDefault() : null,
                RateLimit = rateLimit,
            };
        }, cancellationToken);
    }

    private Task<GitHubAnswer> SendAsync(HttpRequestMessage request, Func<HttpResponseMessage, RateLimitStatus?, Task<GitHubAnswer>> read, CancellationToken cancellationToken) =>
        GitHubRequests.SendAsync(httpClientFactory.CreateClient(HttpClientName), request, read, time, cancellationToken);

    private static GitHubProfile ReadUser(byte[] body)
    {
        using var document = JsonDocument.Parse(body);
        var user = document.RootElement;
        var login = ProfileQuery.String(user, "login") ?? throw new JsonException("A user without login.");
        var type = user.TryGetProperty("type", out var kind) ? kind.GetString() : null;
        return new GitHubProfile(
            user.GetProperty("id").GetInt64(),
            login,
            GitHubProfile.TypeOf(login, type switch
            {
                "Bot" => ActorType.Bot,
                "Organization" => ActorType.Organization,
                _ => ActorType.User,
            }),
            ProfileQuery.String(user, "name"),
            ProfileQuery.String(user, "company"),
            ProfileQuery.String(user, "location"),
            Number(user, "public_repos"),
            Number(user, "followers"),
            user.TryGetProperty("created_at", out var created) && created.ValueKind == JsonValueKind.String ? created.GetDateTimeOffset() : null);
    }

    private static int? Number(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt32() : null;
}
