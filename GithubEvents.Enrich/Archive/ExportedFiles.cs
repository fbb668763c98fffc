namespace GithubEvents.Enrich.Archive;

/// <summary>The three files of one export of an hour.</summary>
public sealed record ExportedFiles(FileDigest Json, FileDigest Parquet, FileDigest Manifest);
