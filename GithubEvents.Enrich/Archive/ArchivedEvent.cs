namespace GithubEvents.Enrich.Archive;

/// <summary>
/// One stored event as the archive writes it: <see cref="Envelope"/> and <see cref="SentPayload"/>, the texts (UTF-8) of
/// the event's envelope and of its payload as GitHub sent it, which make its json.gz line (<see cref="EventLine"/>: the
/// event as <c>v_raw_events</c> gives it); the rest for the Parquet columns. The Parquet payload is the stored one: the
/// one sent, or <see cref="RestoredPayload"/> when members were restored since (<see cref="Restored"/>), the one case where
/// the two differ. <see cref="Fingerprint"/>: what the row adds to the hour's fingerprint besides those.
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
    byte[] Envelope,
    byte[] SentPayload,
    byte[]? RestoredPayload,
    HourFingerprint.Part Fingerprint)
{
    /// <summary>The payload as stored, as JSON text (<c>payload::text</c>, UTF-8).</summary>
    public byte[] Payload => RestoredPayload ?? SentPayload;
}
