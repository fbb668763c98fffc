using GithubEvents.ServiceDefaults.GitHub;
using Microsoft.Extensions.Time.Testing;

namespace GithubEvents.Tests.Infrastructure;

/// <summary>
/// What the tests of GitHub's budget arithmetic (Ingest's pacing and watch budget, Enrich's lookup and restoration
/// budgets) stand on: a fake clock at noon on a fixed day that moves only when told, and what GitHub's rate-limit
/// headers would say at its time.
/// </summary>
public abstract class RateLimitClockTests
{
    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero));

    /// <summary>What GitHub says of a budget of <paramref name="limit"/> with <paramref name="remaining"/> left and its reset <paramref name="untilReset"/> from now.</summary>
    protected RateLimitStatus Budget(int limit, int remaining, TimeSpan untilReset, string? resource = null) =>
        new(limit, remaining, Time.GetUtcNow() + untilReset, resource);
}
