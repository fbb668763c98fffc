namespace GithubEvents.Enrich.Archive;

/// <summary>
/// An hour's fingerprint taken of the rows an export reads, as <see cref="ArchiveStore.FingerprintAsync"/> takes it of the
/// rows in the database (the same figures, the same text: <c>concat_ws</c> leaves out a sum of no rows). Equal to the
/// database's once the files are written, the files hold the rows as they are; and the hour is read once, not
/// fingerprinted before the read as well.
/// </summary>
public sealed class HourFingerprint
{
    private long _events;
    private long _sources;
    private long _restored;
    private long _restoredPaths;
    private long _detailLength;
    private long _countries;
    private long _locations;
    private long _companies;
    private long _publicRepos;
    private long _bots;

    /// <summary>What a row adds beside its columns the archive writes: its detail's length in characters, and which profile fields it has.</summary>
    public readonly record struct Part(int DetailLength, bool HasLocation, bool HasCompany, bool HasPublicRepos);

    public void Add(IEnumerable<ArchivedEvent> slice)
    {
        foreach (var row in slice)
        {
            _events++;
            _sources += row.Sources;
            _restored += row.Restored is null ? 0 : 1;
            _restoredPaths += row.Restored?.Length ?? 0;
            _detailLength += row.Fingerprint.DetailLength;
            _countries += row.CountryCode is null ? 0 : 1;
            _locations += row.Fingerprint.HasLocation ? 1 : 0;
            _companies += row.Fingerprint.HasCompany ? 1 : 0;
            _publicRepos += row.Fingerprint.HasPublicRepos ? 1 : 0;
            _bots += row.IsBot ? 1 : 0;
        }
    }

    public override string ToString() => string.Join(':', new long?[]
    {
        _events, _events == 0 ? null : _sources, _restored, _restored == 0 ? null : _restoredPaths, _events == 0 ? null : _detailLength,
        _countries, _locations, _companies, _publicRepos, _bots,
    }.OfType<long>());
}
