namespace GithubEvents.Enrich.Events;

/// <summary>One row of the <c>events</c> table, as the write path builds it from a raw event.</summary>
public sealed record EventRow
{
    public required DateTime Time { get; init; }

    public required long EventId { get; init; }

    public required string EventType { get; init; }

    public required string Actor { get; init; }

    public required long ActorId { get; init; }

    public string? Repo { get; init; }

    public long? RepoId { get; init; }

    public string? Org { get; init; }

    public required string Detail { get; init; }

    public bool IsBot { get; init; }

    /// <summary>The event's <c>payload</c> object as received (UTF-8 JSON, <c>{}</c> when it has none).</summary>
    public required byte[] Payload { get; init; }

    /// <summary>
    /// Every other member of the event as received; with <see cref="Payload"/> it is the whole original event
    /// (<c>v_raw_events</c>), so that rows can be reprocessed.
    /// </summary>
    public required byte[] Envelope { get; init; }

    /// <summary>
    /// What had to change in <see cref="Payload"/> and <see cref="Envelope"/> for jsonb to hold them (see
    /// <see cref="JsonbText"/>); null when they are as received.
    /// </summary>
    public string[]? Altered { get; init; }

    /// <summary>The sources that delivered the event, as <see cref="SourceBits"/> (0 when the message named none Enrich knows).</summary>
    public short Sources { get; init; }
}
