using System.Text;
using GithubEvents.Enrich.Profiles;

namespace GithubEvents.Enrich.Restoring;

/// <summary>Sends a restoration query to the GraphQL endpoint the profile lookups use, with the same client and token.</summary>
public sealed class RestorationClient(IHttpClientFactory httpClientFactory, GitHubProfileClient profiles, TimeProvider time)
{
    public Uri GraphQLUrl => profiles.GraphQLUrl;

    /// <returns>GitHub's answer, and the batch it settled when it answered (<see cref="AnswerKind.Answered"/>).</returns>
    public async Task<(GitHubAnswer Answer, RestorationBatch? Batch)> FetchAsync(IReadOnlyList<RestoreTarget> targets, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, GraphQLUrl)
        {
            Content = new StringContent(RestorationQuery.Build(targets), Encoding.UTF8, "application/json"),
        };
        RestorationBatch? batch = null;
        var answer = await GitHubRequests.SendAsync(httpClientFactory.CreateClient(GitHubProfileClient.HttpClientName), request, async (response, headerRateLimit) =>
        {
            batch = RestorationQuery.Parse(await response.Content.ReadAsByteArrayAsync(cancellationToken), targets);
            return GitHubRequests.GraphQLAnswer(batch.RateLimit, headerRateLimit, batch.RateLimited);
        }, time, cancellationToken);
        return (answer, answer.Kind == AnswerKind.Answered ? batch : null);
    }
}
