namespace GithubEvents.Enrich.Archive;

/// <summary>
/// One stored event as the archive writes it: <see cref="Event"/>, the whole event as GitHub sent it (as
/// <c>v_raw_events</c> gives it), for the json.gz line; the rest for the Parquet columns, <see cref="Payload"/> with what
/// was restored since (<see cref="Restored"/>).
/// </summary>
public sealed record ArchivedEvent(
    DateTime Time,
    long Id,
    string Type,
    long ActorId,
    string Actor,
    long? RepoId,
    string? Repo,
    string? Org,
    string? Action,
    string Detail,
    string? CountryCode,
    bool IsBot,
    short Sources,
    string[]? Restored,
    string Payload,
    string Event);
