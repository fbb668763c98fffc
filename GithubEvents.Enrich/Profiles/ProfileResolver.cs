using GithubEvents.Enrich.Events;
using GithubEvents.Enrich.Filling;
using GithubEvents.Enrich.Geocoding;
using GithubEvents.Enrich.Leadership;
using GithubEvents.Enrich.Storage;
using Microsoft.Extensions.Options;

namespace GithubEvents.Enrich.Profiles;

/// <summary>
/// Looks up the profiles of the recent events' actors that have none, or a stale one, most active first, through
/// <see cref="ProfileLookups"/>; after them, within <see cref="BacklogAllowance"/>, actors of older rows queued in
/// <c>actor_backlog</c> (a backfilled hour, say), longest queued first, whose rows the late filling fills. Every answer
/// is stored, accounts GitHub does not know included, and the actors' recent rows are filled in at once. One replica at
/// a time does this, since the budget belongs to the token.
/// </summary>
public sealed partial class ProfileResolver(
    ActorStore store,
    ProfileCache cache,
    ProfileLookups lookups,
    BacklogAllowance backlog,
    RowFiller filler,
    NewLocations newLocations,
    ProfileMetrics metrics,
    IOptions<ProfileOptions> options,
    LeaderElection election,
    ILogger<ProfileResolver> logger) : LeaderService(election, "the profile lookups", AdvisoryLocks.Profiles, logger)
{
    // Rows are filled for this many looked-up actors at once: each fill is one UPDATE with its index reads and its
    // invalidation of the aggregates, and one per GraphQL batch would cost the write path more than the lookups.
    private const int FillBatch = 1_000;

    // Backlog actors read at most in one pass, in batches of Profiles:BatchSize.
    private const int BacklogBatches = 10;

    private readonly List<long> _unfilled = [];

    protected override TimeSpan AcquireInterval => options.Value.IdleInterval;

    protected override void OnLeadTaken() => LogStarting(lookups.Api);

    protected override async Task<TimeSpan> RunPassAsync(CancellationToken cancellationToken)
    {
        var pending = await PendingAsync(cancellationToken);
        pending.AddRange(await BacklogAsync(pending, cancellationToken));
        if (pending.Count == 0)
        {
            return options.Value.IdleInterval;
        }

        // Bots are known from their login alone, and have no profile worth a request.
        var bots = pending.Where(actor => BotLogin.Is(actor.Login)).ToList();
        if (bots.Count > 0)
        {
            await CompleteAsync("login", bots.Select(bot => new ActorLookup(bot.Id, bot.Login, GitHubProfile.Bot(bot.Id, bot.Login))).ToList(), cancellationToken);
        }

        var users = pending.Where(actor => !BotLogin.Is(actor.Login)).ToList();
        foreach (var batch in users.Chunk(options.Value.BatchSize))
        {
            await foreach (var answer in lookups.LookUpAsync(batch, cancellationToken))
            {
                await CompleteAsync(answer.Source, answer.Lookups, cancellationToken);
                await KeepAsync(answer.Unchanged, cancellationToken);
            }

            if (_unfilled.Count >= FillBatch)
            {
                await FillAsync(cancellationToken);
            }
        }

        await FillAsync(cancellationToken);

        // Without a backlog, the next pass waits for the new actors to make up batches worth a request, rather than
        // scanning the window again for the few that came meanwhile.
        return users.Count < options.Value.BatchSize ? options.Value.IdleInterval : TimeSpan.Zero;
    }

    protected override TimeSpan BackOff(int failures) => lookups.AfterFailure();

    /// <summary>The recent actors without a fresh profile, most active first, with the ETag of their last REST answer.</summary>
    private async Task<List<PendingActor>> PendingAsync(CancellationToken cancellationToken)
    {
        var now = Time.GetUtcNow();
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

    /// <summary>Backlog actors to look up after the recent ones, as many as the allowance grants; bots cost nothing.</summary>
    private async Task<List<PendingActor>> BacklogAsync(List<PendingActor> recent, CancellationToken cancellationToken)
    {
        if (options.Value.BacklogBudgetShare <= 0)
        {
            return [];
        }

        var queued = await store.BacklogActorsAsync(options.Value.BatchSize * BacklogBatches, cancellationToken);
        var ids = recent.Select(actor => actor.Id).ToHashSet();
        queued.RemoveAll(actor => ids.Contains(actor.Id));
        var bots = queued.Where(actor => BotLogin.Is(actor.Login)).ToList();
        var users = queued.Where(actor => !BotLogin.Is(actor.Login)).ToList();
        var granted = backlog.Grant(users.Count, lookups.ThroughGraphQL);
        metrics.BacklogTaken(bots.Count + granted);
        return [.. bots, .. users.Take(granted)];
    }

    private async Task CompleteAsync(string source, IReadOnlyList<ActorLookup> found, CancellationToken cancellationToken)
    {
        if (found.Count == 0)
        {
            return;
        }

        var now = Time.GetUtcNow();
        await store.SaveAsync(found, now, cancellationToken);
        foreach (var lookup in found)
        {
            cache.Remember(lookup.Id, now + options.Value.TimeToLive);
        }

        if (found.Any(lookup => lookup.Profile is { Type: not ActorType.Bot, Location: not null }))
        {
            newLocations.Raise();
        }

        var missing = found.Count(lookup => lookup.Profile is null);
        metrics.Resolved(source, found.Count, missing);
        LogResolved(found.Count, source, missing);
        _unfilled.AddRange(found.Where(lookup => lookup.Profile is not null).Select(lookup => lookup.Id));
    }

    /// <summary>Profiles GitHub says are unchanged (a 304): fresh again, as of now.</summary>
    private async Task KeepAsync(IReadOnlyList<long> unchanged, CancellationToken cancellationToken)
    {
        var now = Time.GetUtcNow();
        foreach (var id in unchanged)
        {
            await store.TouchAsync(id, now, cancellationToken);
            cache.Remember(id, now + options.Value.TimeToLive);
        }
    }

    private async Task FillAsync(CancellationToken cancellationToken)
    {
        if (_unfilled.Count == 0)
        {
            return;
        }

        var filled = await filler.FillAsync([.. _unfilled], cancellationToken);
        LogFilled(_unfilled.Count, filled);
        _unfilled.Clear();
    }

    [LoggerMessage(LogLevel.Information, "Looking up actors' profiles through {Api}")]
    private partial void LogStarting(string api);

    [LoggerMessage(LogLevel.Debug, "Stored {Count} profiles from {Source} ({Missing} unknown to GitHub)")]
    private partial void LogResolved(int count, string source, int missing);

    [LoggerMessage(LogLevel.Debug, "Filled {Rows} rows of {Actors} looked-up actors")]
    private partial void LogFilled(int actors, long rows);
}
