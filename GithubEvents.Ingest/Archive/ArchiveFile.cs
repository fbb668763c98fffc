using GithubEvents.ServiceDefaults.Archive;

namespace GithubEvents.Ingest.Archive;

/// <summary>
/// One hourly file to replay: from GH Archive (<see cref="Url"/>), from disk (<see cref="LocalPath"/>) or from an S3
/// bucket (<see cref="Bucket"/>, at <see cref="Label"/>); or an hour the archive should have and has not, with where it
/// was looked for (<see cref="MissingFrom"/>); or an hour the archive has no file for because it had no events
/// (<see cref="EmptyIn"/>, where it was looked for).
/// </summary>
public sealed record ArchiveFile(string Label, DateTime? Hour, Uri? Url, string? LocalPath, ArchiveBucket? Bucket = null, string? MissingFrom = null,
    string? EmptyIn = null);
