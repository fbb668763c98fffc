using System.Security.Cryptography;
using System.Text;
using GithubEvents.ServiceDefaults.Archive;

namespace GithubEvents.Enrich.Archive;

/// <summary>
/// The archive in an S3-compatible bucket (<c>Archive:S3:*</c>): a file is staged in a local temporary folder of the
/// bucket's own, then uploaded in one PutObject, which a reader sees whole or not at all, and the staged file deleted.
/// </summary>
public sealed class S3ArchiveTarget(ArchiveBucket bucket) : ArchiveTarget
{
    public override string Location { get; } = bucket.ToString().TrimEnd('/');

    // Outside the working directory, which a deployment mounts read-only; one folder per bucket and prefix, since taking
    // the lead empties it. Named by a digest of both rather than built from them, so that no prefix leads anywhere else.
    public override string StagingFolder { get; } =
        Path.Combine(Path.GetTempPath(), "github-events-archive", StagingName(bucket), ".staging");

    public override async Task PutAsync(string stagedFile, string key, CancellationToken cancellationToken)
    {
        await using (var staged = File.OpenRead(stagedFile))
        {
            await bucket.PutAsync(key, staged, cancellationToken);
        }

        File.Delete(stagedFile);
    }

    private static string StagingName(ArchiveBucket bucket) =>
        $"{bucket.Name}-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(bucket.Prefix)))[..16]}";
}
