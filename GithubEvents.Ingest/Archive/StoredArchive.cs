using Amazon.Runtime;
using GithubEvents.ServiceDefaults.Archive;

namespace GithubEvents.Ingest.Archive;

/// <summary>
/// The archive Enrich keeps (docs/archive.md) as a backfill source: the GH Archive files of its <c>json/</c> folder,
/// in a folder (<c>Archive:Path</c>) or under an S3 prefix (<c>s3</c> for <c>Archive:S3:Bucket</c> and
/// <c>Archive:S3:Prefix</c>, or <c>s3://BUCKET/PREFIX</c>). Every hour from the first to the last asked for (or found)
/// is expected. The archiver writes no file for an hour without events, so an hour with neither its json.gz nor its
/// manifest is an empty hour, replayed as such and said so; one whose manifest is there but not its json.gz lacks a file
/// the archive has had, and is listed with where it was looked for, so the backfill reports it as failed.
/// </summary>
public sealed class StoredArchive(ArchiveStorage storage)
{
    public const string JsonFolder = "json";

    public const string ManifestFolder = "manifest";

    private const string ConfiguredBucket = "s3";
    private const string S3Scheme = "s3://";

    public async Task<IReadOnlyList<ArchiveFile>> ResolveAsync(string location, DateTime? from, DateTime? to, CancellationToken cancellationToken)
    {
        var (where, names, manifestNames, file) = IsS3(location)
            ? await ListBucketAsync(Bucket(location), cancellationToken)
            : ListFolder(location);
        var present = Hours(names, ".json.gz").ToDictionary(entry => entry.Hour, entry => entry.Name);
        var manifests = Hours(manifestNames, ".json").Select(entry => entry.Hour).ToHashSet();
        // Not an archive at all, whatever the range: every hour of it would be taken as empty.
        if (present.Count == 0)
        {
            throw new BackfillUsageException($"No hour files (named like {JsonFolder}/2025-01-01-0.json.gz) in {where}.");
        }

        return ArchiveHour.Range(from ?? present.Keys.Min(), to ?? present.Keys.Max())
            .Select(hour => present.TryGetValue(hour, out var name) ? file(name, hour)
                : manifests.Contains(hour) ? new ArchiveFile($"{JsonFolder}/{ArchiveHour.FileName(hour)}", hour, null, null, MissingFrom: where)
                : new ArchiveFile($"{JsonFolder}/{ArchiveHour.FileName(hour)}", hour, null, null, EmptyIn: where))
            .ToList();
    }

    // The archiver's names only (json/2025-01-01-0.json.gz, manifest/2025-01-01-0.json): a zero-padded hour would name an hour twice.
    private static IEnumerable<(string Name, DateTime Hour)> Hours(IEnumerable<string> names, string extension) =>
        names.Where(name => name.EndsWith(extension, StringComparison.Ordinal))
            .Select(name => (Name: name, GhArchiveName: name[..^extension.Length] + ".json.gz"))
            .Select(entry => (entry.Name, entry.GhArchiveName, Parsed: ArchiveHour.TryParseFileName(entry.GhArchiveName, out var hour), Hour: hour))
            .Where(entry => entry.Parsed && entry.GhArchiveName == ArchiveHour.FileName(entry.Hour))
            .Select(entry => (entry.Name, entry.Hour));

    private static bool IsS3(string location) =>
        location == ConfiguredBucket || location.StartsWith(S3Scheme, StringComparison.OrdinalIgnoreCase);

    private ArchiveBucket Bucket(string location)
    {
        if (location == ConfiguredBucket)
        {
            try
            {
                return storage.Configured();
            }
            catch (InvalidOperationException ex)
            {
                throw new BackfillUsageException($"--archive s3: {ex.Message}");
            }
        }

        var path = location[S3Scheme.Length..];
        var slash = path.IndexOf('/', StringComparison.Ordinal);
        var bucket = slash < 0 ? path : path[..slash];
        return bucket.Length > 0
            ? storage.At(bucket, slash < 0 ? "" : path[(slash + 1)..])
            : throw new BackfillUsageException($"--archive {location}: name a bucket, as in s3://BUCKET/PREFIX.");
    }

    private static async Task<(string Where, IReadOnlyList<string> Names, IReadOnlyList<string> Manifests, Func<string, DateTime, ArchiveFile> File)> ListBucketAsync(
        ArchiveBucket bucket, CancellationToken cancellationToken)
    {
        var where = $"{bucket}{JsonFolder}/";
        try
        {
            var names = await bucket.ListAsync(JsonFolder, cancellationToken);
            var manifests = await bucket.ListAsync(ManifestFolder, cancellationToken);
            return (where, names, manifests, (name, hour) => new ArchiveFile($"{JsonFolder}/{name}", hour, null, null, Bucket: bucket));
        }
        catch (Exception ex) when (ex is AmazonServiceException or AmazonClientException or HttpRequestException)
        {
            throw new BackfillUsageException(
                $"{where} could not be listed: {ex.Message}. Check Archive:S3:ServiceUrl, Archive:S3:Region, Archive:S3:ForcePathStyle " +
                "and the credentials (Archive:S3:AccessKeyId and Archive:S3:SecretAccessKey).");
        }
    }

    private static (string Where, IReadOnlyList<string> Names, IReadOnlyList<string> Manifests, Func<string, DateTime, ArchiveFile> File) ListFolder(string location)
    {
        var folder = Path.Combine(Path.GetFullPath(location), JsonFolder);
        if (!Directory.Exists(folder))
        {
            throw new BackfillUsageException($"--archive {location}: no folder {JsonFolder} in it. Give the archive's folder (Archive:Path), the one holding {JsonFolder}/, parquet/ and manifest/.");
        }

        var names = Directory.EnumerateFiles(folder).Select(path => Path.GetFileName(path)).ToList();
        var manifestFolder = Path.Combine(Path.GetFullPath(location), ManifestFolder);
        var manifests = Directory.Exists(manifestFolder) ? Directory.EnumerateFiles(manifestFolder).Select(path => Path.GetFileName(path)).ToList() : [];
        return (folder + Path.DirectorySeparatorChar, names, manifests, (name, hour) => new ArchiveFile($"{JsonFolder}/{name}", hour, null, Path.Combine(folder, name)));
    }
}
