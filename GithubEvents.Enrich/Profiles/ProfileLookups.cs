using System.Runtime.CompilerServices;
using GithubEvents.ServiceDefaults.GitHub;
using Microsoft.Extensions.Options;

namespace GithubEvents.Enrich.Profiles;

/// <summary>
/// Asks GitHub about actors within each budget's share: in batches through GraphQL with a token, else (or where GraphQL
/// fails) one by one through REST, with the ETag of the last answer. Waits out spent budgets and secondary limits;
/// after a 401 from GraphQL, REST only.
/// </summary>
public sealed partial class ProfileLookups(
    GitHubProfileClient client,
    ProfileBudget budget,
    ProfileMetrics metrics,
    IOptions<GitHubApiOptions> github,
    TimeProvider time,
    ILogger<ProfileLookups> logger)
{
    private const int MaxRefusals = 3;

    // Without a token GitHub refuses GraphQL (401): REST only, from the start.
    private bool _graphQL = github.Value.HasToken;

    /// <summary>Whether the lookups go through GraphQL, in batches, or through REST, one request an actor.</summary>
    public bool ThroughGraphQL => _graphQL;

    /// <summary>The API the lookups go through, for the logs.</summary>
    public string Api => _graphQL ? client.GraphQLUrl.ToString() : "REST only (no GitHub:Token, or GitHub refused it for GraphQL)";

    /// <summary>The answers about these actors as they come: one for a GraphQL batch, one per actor through REST.</summary>
    public async IAsyncEnumerable<ProfileAnswer> LookUpAsync(PendingActor[] actors, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (_graphQL && await LookUpBatchAsync(actors, cancellationToken) is { } batch)
        {
            yield return batch;
            yield break;
        }

        foreach (var actor in actors)
        {
            if (await LookUpOneAsync(actor, cancellationToken) is { } answer)
            {
                yield return answer;
            }
        }
    }

    /// <summary>The wait after a failed pass of the lookups.</summary>
    public TimeSpan AfterFailure() => budget.AfterFailure();

    /// <returns>Null when GraphQL could not answer, so that REST takes the batch.</returns>
    private async Task<ProfileAnswer?> LookUpBatchAsync(PendingActor[] actors, CancellationToken cancellationToken)
    {
        var logins = actors.Select(actor => actor.Login).ToList();
        while (true)
        {
            await WaitForBudgetAsync(ProfileBudget.GraphQL, cancellationToken);
            var answer = await client.FetchBatchAsync(logins, cancellationToken);
            metrics.Request(ProfileBudget.GraphQL, actors.Length);
            budget.Update(ProfileBudget.GraphQL, answer.RateLimit);
            switch (answer.Kind)
            {
                case AnswerKind.Answered:
                    budget.Answered();
                    return new ProfileAnswer(ProfileBudget.GraphQL, actors.Select(actor => Found(actor, answer.Profiles.GetValueOrDefault(actor.Login), etag: null)).ToList(), []);
                case AnswerKind.RateLimited or AnswerKind.SecondaryRateLimited:
                    await LimitedAsync(ProfileBudget.GraphQL, answer, cancellationToken);
                    break;
                case AnswerKind.Unauthorized:
                    _graphQL = false;
                    LogGraphQLRefused();
                    return null;
                default:
                    LogGraphQLFailed(answer.Failure ?? answer.Kind.ToString());
                    return null;
            }
        }
    }

    /// <returns>Null when the actor waits for the next pass.</returns>
    private async Task<ProfileAnswer?> LookUpOneAsync(PendingActor actor, CancellationToken cancellationToken)
    {
        var refusals = 0;
        while (true)
        {
            await WaitForBudgetAsync(ProfileBudget.Core, cancellationToken);
            var answer = await client.FetchUserAsync(actor.Login, actor.ETag, cancellationToken);
            metrics.Request("rest", 1);
            budget.Update(ProfileBudget.Core, answer.RateLimit);
            switch (answer.Kind)
            {
                case AnswerKind.Answered:
                    budget.Answered();
                    return new ProfileAnswer("rest", [Found(actor, answer.Profiles.GetValueOrDefault(actor.Login), answer.ETag)], []);
                case AnswerKind.NotFound:
                    budget.Answered();
                    return new ProfileAnswer("rest", [new ActorLookup(actor.Id, actor.Login, null)], []);
                case AnswerKind.NotModified:
                    budget.Answered();
                    return new ProfileAnswer("rest", [], [actor.Id]);
                case AnswerKind.RateLimited or AnswerKind.SecondaryRateLimited:
                    await LimitedAsync(ProfileBudget.Core, answer, cancellationToken);
                    if (answer.Kind == AnswerKind.SecondaryRateLimited && ++refusals == MaxRefusals)
                    {
                        // A login refused again and again (a 403 that is not about the budget) waits for the next pass.
                        LogLoginRefused(refusals);
                        return null;
                    }

                    break;
                default:
                    // The actor comes back with the next pass over the recent events.
                    var wait = budget.AfterFailure();
                    LogRestFailed(answer.Failure ?? answer.Kind.ToString(), wait);
                    await Task.Delay(wait, time, cancellationToken);
                    return null;
            }
        }
    }

    /// <summary>A login that now belongs to another account than the event's actor: that actor is gone.</summary>
    private static ActorLookup Found(PendingActor actor, GitHubProfile? profile, string? etag) =>
        profile is not null && profile.Id == actor.Id
            ? new ActorLookup(actor.Id, actor.Login, profile, etag)
            : new ActorLookup(actor.Id, actor.Login, null);

    private async Task WaitForBudgetAsync(string resource, CancellationToken cancellationToken)
    {
        var wait = budget.WaitBefore(resource);
        if (wait > TimeSpan.Zero)
        {
            LogBudgetSpent(resource, wait);
            await Task.Delay(wait, time, cancellationToken);
        }
    }

    private async Task LimitedAsync(string resource, GitHubAnswer answer, CancellationToken cancellationToken)
    {
        if (answer.Kind == AnswerKind.RateLimited && answer.RateLimit is { } spent && spent.Reset > time.GetUtcNow())
        {
            // The budget already says nothing is left: the next WaitForBudgetAsync sleeps until the reset.
            return;
        }

        var wait = budget.AfterSecondaryLimit(answer.RetryAfter);
        LogSecondaryLimit(resource, answer.RetryAfter, wait);
        await Task.Delay(wait, time, cancellationToken);
    }

    [LoggerMessage(LogLevel.Information, "The share of GitHub's {Resource} budget for profiles is spent; waiting {Wait} until it resets")]
    private partial void LogBudgetSpent(string resource, TimeSpan wait);

    [LoggerMessage(LogLevel.Warning, "GitHub's secondary rate limit answered a {Resource} lookup (Retry-After: {RetryAfter}); waiting {Wait}")]
    private partial void LogSecondaryLimit(string resource, TimeSpan? retryAfter, TimeSpan wait);

    [LoggerMessage(LogLevel.Warning, "GitHub refused the GraphQL lookup (401: no token, or one GitHub does not accept); using REST from now on")]
    private partial void LogGraphQLRefused();

    [LoggerMessage(LogLevel.Warning, "A GraphQL lookup failed ({Failure}); this batch goes through REST")]
    private partial void LogGraphQLFailed(string failure);

    [LoggerMessage(LogLevel.Warning, "GitHub refused a REST profile lookup {Count} times in a row; that actor waits for the next pass")]
    private partial void LogLoginRefused(int count);

    [LoggerMessage(LogLevel.Warning, "A REST profile lookup failed ({Failure}); waiting {Wait}")]
    private partial void LogRestFailed(string failure, TimeSpan wait);
}
