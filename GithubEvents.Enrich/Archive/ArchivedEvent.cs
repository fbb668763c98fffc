namespace GithubEvents.Enrich.Archive;

/// <summary>
/// One stored event as the archive writes it: <see cref="Event"/>, the whole event as GitHub sent it (as
/// <c>v_raw_events</c> gives it, UTF-8), for the json.gz line; the rest for the Parquet columns. The Parquet payload is
/// the stored one: the event's own (<see cref="EventPayload"/>), or <see cref="RestoredPayload"/> when members were
/// restored since (<see cref="Restored"/>), the one case where the two differ. <see cref="Fingerprint"/>: what the row adds
/// to the hour's fingerprint besides those.
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
    string? RestoredPayload,
    byte[] Event,
    HourFingerprint.Part Fingerprint)
{
    /// <summary>The payload as stored, as JSON text (<c>payload::text</c>).</summary>
    public string Payload => RestoredPayload ?? EventPayload.Of(Event);
}
