namespace GithubEvents.Ingest.Archive;

/// <summary>One hourly file to replay: from GH Archive (<see cref="Url"/>) or from disk (<see cref="LocalPath"/>).</summary>
public sealed record ArchiveFile(string Label, DateTime? Hour, Uri? Url, string? LocalPath);
