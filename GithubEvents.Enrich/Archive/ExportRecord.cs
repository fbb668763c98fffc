namespace GithubEvents.Enrich.Archive;

/// <summary>One export of an hour as <c>archive_exports</c> records it: the revision, its events and the files' digests.</summary>
public sealed record ExportRecord(ArchiveHour Hour, int Revision, long Events, string Fingerprint, string JsonSha256, string ParquetSha256);
