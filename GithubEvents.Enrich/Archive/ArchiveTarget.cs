namespace GithubEvents.Enrich.Archive;

/// <summary>
/// Where the archive's files go, by key: a path below the archive's root with <c>/</c> between its parts
/// (<c>json/2026-12-07-5.json.gz</c>). The exporter writes each file whole in <see cref="StagingFolder"/>, then hands it
/// to <see cref="PutAsync"/>, which makes it appear at its key at once, whole, or not at all: a reader never sees a
/// partial file at a key.
/// </summary>
public abstract class ArchiveTarget
{
    /// <summary>The archive's place as the logs and the dashboard name it.</summary>
    public abstract string Location { get; }

    /// <summary>A local folder for files being written; the archiver empties it of what a stopped export left when it takes the lead.</summary>
    public abstract string StagingFolder { get; }

    /// <summary>Publishes the finished local file <paramref name="stagedFile"/> at <paramref name="key"/>, replacing what was there, and consumes the staged file.</summary>
    public abstract Task PutAsync(string stagedFile, string key, CancellationToken cancellationToken);
}
