using Microsoft.Extensions.Options;

namespace GithubEvents.Ingest.Archive;

/// <summary>
/// The hours a backfill has delivered in full, one file name a line in <see cref="GhArchiveOptions.ProgressFile"/>.
/// An hour is written only after Kafka has acknowledged all of it, so a restart repeats at most the hour it was in.
/// </summary>
public sealed class FinishedHours(IOptions<GhArchiveOptions> options)
{
    private string FilePath => Path.GetFullPath(options.Value.ProgressFile);

    public async Task<HashSet<string>> LoadAsync(CancellationToken cancellationToken) =>
        File.Exists(FilePath)
            ? (await File.ReadAllLinesAsync(FilePath, cancellationToken)).Where(line => line.Length > 0).ToHashSet(StringComparer.Ordinal)
            : new HashSet<string>(StringComparer.Ordinal);

    public async Task AddAsync(string label, CancellationToken cancellationToken)
    {
        if (Path.GetDirectoryName(FilePath) is { Length: > 0 } directory)
        {
            Directory.CreateDirectory(directory);
        }

        await File.AppendAllTextAsync(FilePath, label + "\n", cancellationToken);
    }
}
