namespace GithubEvents.Enrich.Storage;

/// <summary>
/// Whether the writer queues in <c>actor_backlog</c> the actors of rows older than <see cref="OlderThan"/> that the
/// enrichment could not fill when they were written. Off unless the profile lookups, which work the backlog off, replace it.
/// </summary>
public sealed record ActorBacklogQueueing(TimeSpan? OlderThan)
{
    public static ActorBacklogQueueing Off { get; } = new((TimeSpan?)null);

    public bool Enabled => OlderThan is not null;
}
