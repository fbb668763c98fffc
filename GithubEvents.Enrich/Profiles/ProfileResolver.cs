using GithubEvents.Enrich.Storage;
using GithubEvents.ServiceDefaults.GitHub;
using Microsoft.Extensions.Options;

namespace GithubEvents.Enrich.Profiles;

/// <summary>
/// Looks up the profiles of the recent events' actors that have none, or a stale one, most active first: in batches
/// through GraphQL with a token, else (or where GraphQL fails) one by one through REST. Within each budget's share, then
/// asleep until its reset. Every answer is stored, accounts GitHub does not know included, and the actors' recent rows
/// are filled in at once. One replica at a time does this (a database lock), since the budget belongs to the token.
/// </summary>
public sealed partial class ProfileResolver(
    ActorStore store,
    ProfileCache cache,
    GitHubProfileClient client,
    ProfileBudget budget,
    RowFiller filler,
    StorageReadiness readiness,
    WriterDataSource writer,
    ProfileMetrics metrics,
    NewLocations newLocations,
    IOptions<ProfileOptions> options,
    IOptions<GitHubApiOptions> github,
    TimeProvider time,
    ILogger<ProfileResolver> logger) : BackgroundService
{
    private const string LeaderLockName = "github-events:profiles";

    // Rows are filled for this many looked-up actors at once: each fill is one UPDATE with its index reads and its
    // invalidation of the aggregates, and one per GraphQL batch would cost the write path more than the lookups.
    private const int FillBatch = 1_000;

    private const int MaxRefusals = 3;

    // Without a token GitHub refuses GraphQL (401): REST only, from the start.
    private bool _graphQL = github.Value.HasToken;

    private readonly List<long> _unfilled = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var path = await readiness.WaitAsync(stoppingToken);
        LogStarting(_graphQL ? client.GraphQLUrl.ToString() : "REST only (no GitHub:Token)");
        while (true)
        {
            try
            {
                await using var leader = await LeaderLock.AcquireAsync(writer, LeaderLockName, options.Value.IdleInterval, time, stoppingToken);
                while (await leader.IsHeldAsync(stoppingToken))
                {
                    var pending = await PendingAsync(stoppingToken);
                    if (pending.Count == 0)
                    {
                        await Task.Delay(options.Value.IdleInterval, time, stoppingToken);
                        continue;
                    }

                    // Bots are known from their login alone, and have no profile worth a request.
                    var bots = pending.Where(actor => GitHubProfile.IsBotLogin(actor.Login)).ToList();
                    if (bots.Count > 0)
                    {
                        await CompleteAsync("login", bots.Select(bot => new ActorLookup(bot.Id, bot.Login, GitHubProfile.Bot(bot.Id, bot.Login))).ToList(), stoppingToken);
                    }

                    var users = pending.Where(actor => !GitHubProfile.IsBotLogin(actor.Login)).ToList();
                    foreach (var batch in users.Chunk(options.Value.BatchSize))
                    {
                        await ResolveAsync(batch, stoppingToken);
                        if (_unfilled.Count >= FillBatch)
                        {
                            await FillAsync(path, stoppingToken);
                        }
                    }

                    await FillAsync(path, stoppingToken);

                    // Without a backlog, the next pass waits for the new actors to make up batches worth a request,
                    // rather than scanning the window again for the few that came meanwhile.
                    if (users.Count < options.Value.BatchSize)
                    {
                        await Task.Delay(options.Value.IdleInterval, time, stoppingToken);
                    }
                }

                LogLeadLost();
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                var wait = budget.AfterFailure();
                LogFailed(ex, wait);
                await Task.Delay(wait, time, stoppingToken);
            }
        }
    }

    /// <summary>The recent actors without a fresh profile, most active first, with the ETag of their last REST answer.</summary>
    private async Task<List<PendingActor>> PendingAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var recent = (await store.RecentActorsAsync(now - options.Value.ActivityWindow, cancellationToken)).DistinctBy(actor => actor.Id).ToList();
        var misses = recent.Where(actor => !cache.IsFresh(actor.Id, now)).ToList();
        metrics.CacheLookups(recent.Count - misses.Count, misses.Count);
        if (misses.Count == 0)
        {
            return [];
        }

        var stored = await store.FindAsync(misses.Select(actor => actor.Id).ToArray(), cancellationToken);
        var pending = new List<PendingActor>();
        foreach (var actor in misses)
        {
            if (!stored.TryGetValue(actor.Id, out var known))
            {
                pending.Add(actor);
            }
            else if (known.FetchedAt + options.Value.TimeToLive > now)
            {
                cache.Remember(actor.Id, known.FetchedAt + options.Value.TimeToLive);
            }
            else
            {
                pending.Add(actor with { ETag = known.ETag });
            }
        }

        return pending;
    }

    private async Task ResolveAsync(PendingActor[] users, CancellationToken cancellationToken)
    {
        if (_graphQL && await LookUpBatchAsync(users, cancellationToken))
        {
            return;
        }

        foreach (var user in users)
        {
            await LookUpOneAsync(user, cancellationToken);
        }
    }

    /// <returns>False when GraphQL could not answer, so that REST takes the batch.</returns>
    private async Task<bool> LookUpBatchAsync(PendingActor[] actors, CancellationToken cancellationToken)
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
                case AnswerKind.Profiles:
                    budget.Answered();
                    await CompleteAsync(ProfileBudget.GraphQL, actors.Select(actor => Found(actor, answer.Profiles.GetValueOrDefault(actor.Login), etag: null)).ToList(), cancellationToken);
                    return true;
                case AnswerKind.RateLimited or AnswerKind.SecondaryRateLimited:
                    await LimitedAsync(ProfileBudget.GraphQL, answer, cancellationToken);
                    break;
                case AnswerKind.Unauthorized:
                    _graphQL = false;
                    LogGraphQLRefused();
                    return false;
                default:
                    LogGraphQLFailed(answer.Failure ?? answer.Kind.ToString());
                    return false;
            }
        }
    }

    private async Task LookUpOneAsync(PendingActor actor, CancellationToken cancellationToken)
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
                case AnswerKind.Profiles:
                    budget.Answered();
                    await CompleteAsync("rest", [Found(actor, answer.Profiles.GetValueOrDefault(actor.Login), answer.ETag)], cancellationToken);
                    return;
                case AnswerKind.NotFound:
                    budget.Answered();
                    await CompleteAsync("rest", [new ActorLookup(actor.Id, actor.Login, null)], cancellationToken);
                    return;
                case AnswerKind.NotModified:
                    budget.Answered();
                    var now = time.GetUtcNow();
                    await store.TouchAsync(actor.Id, now, cancellationToken);
                    cache.Remember(actor.Id, now + options.Value.TimeToLive);
                    return;
                case AnswerKind.RateLimited or AnswerKind.SecondaryRateLimited:
                    await LimitedAsync(ProfileBudget.Core, answer, cancellationToken);
                    if (answer.Kind == AnswerKind.SecondaryRateLimited && ++refusals == MaxRefusals)
                    {
                        // A login refused again and again (a 403 that is not about the budget) waits for the next pass.
                        LogLoginRefused(refusals);
                        return;
                    }

                    break;
                default:
                    // The actor comes back with the next pass over the recent events.
                    var wait = budget.AfterFailure();
                    LogRestFailed(answer.Failure ?? answer.Kind.ToString(), wait);
                    await Task.Delay(wait, time, cancellationToken);
                    return;
            }
        }
    }

    /// <summary>A login that now belongs to another account than the event's actor: that actor is gone.</summary>
    private static ActorLookup Found(PendingActor actor, GitHubProfile? profile, string? etag) =>
        profile is not null && profile.Id == actor.Id
            ? new ActorLookup(actor.Id, actor.Login, profile, etag)
            : new ActorLookup(actor.Id, actor.Login, null);

    private async Task CompleteAsync(string source, IReadOnlyList<ActorLookup> lookups, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await store.SaveAsync(lookups, now, cancellationToken);
        foreach (var lookup in lookups)
        {
            cache.Remember(lookup.Id, now + options.Value.TimeToLive);
        }

        if (lookups.Any(lookup => lookup.Profile is { Type: not ActorType.Bot, Location: not null }))
        {
            newLocations.Raise();
        }

        var missing = lookups.Count(lookup => lookup.Profile is null);
        metrics.Resolved(source, lookups.Count, missing);
        LogResolved(lookups.Count, source, missing);
        _unfilled.AddRange(lookups.Where(lookup => lookup.Profile is not null).Select(lookup => lookup.Id));
    }

    private async Task FillAsync(StoragePath path, CancellationToken cancellationToken)
    {
        if (_unfilled.Count == 0)
        {
            return;
        }

        var filled = await filler.FillAsync([.. _unfilled], path, cancellationToken);
        metrics.Filled(filled);
        LogFilled(_unfilled.Count, filled);
        _unfilled.Clear();
    }

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

    [LoggerMessage(LogLevel.Information, "Looking up actors' profiles through {Api}")]
    private partial void LogStarting(string api);

    [LoggerMessage(LogLevel.Warning, "The session holding the profile lookups' leader lock ended; taking it again")]
    private partial void LogLeadLost();

    [LoggerMessage(LogLevel.Debug, "Stored {Count} profiles from {Source} ({Missing} unknown to GitHub)")]
    private partial void LogResolved(int count, string source, int missing);

    [LoggerMessage(LogLevel.Debug, "Filled {Rows} rows of {Actors} looked-up actors")]
    private partial void LogFilled(int actors, long rows);

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

    [LoggerMessage(LogLevel.Error, "Profile lookups failed; retrying in {Wait}")]
    private partial void LogFailed(Exception exception, TimeSpan wait);
}
