using System.Net;
using Amazon.S3;
using GithubEvents.ServiceDefaults.Archive;

namespace GithubEvents.Enrich.Archive;

/// <summary>
/// The archive in an S3-compatible bucket (<c>Archive:S3:*</c>): a file is staged in a local temporary folder of the
/// bucket's own, then uploaded in one PutObject, which a reader sees whole or not at all, and the staged file deleted.
/// </summary>
public sealed class S3ArchiveTarget(ArchiveBucket bucket) : ArchiveTarget
{
    public override string Location { get; } = bucket.ToString().TrimEnd('/');

    // Outside the working directory, which a deployment mounts read-only; one folder per bucket and prefix, since
    // taking the lead empties it.
    public override string StagingFolder { get; } =
        Path.Combine(Path.GetTempPath(), "github-events-archive", bucket.Name, bucket.Prefix.TrimEnd('/'), ".staging");

    public override async Task PutAsync(string stagedFile, string key, CancellationToken cancellationToken)
    {
        await using (var staged = File.OpenRead(stagedFile))
        {
            await bucket.PutAsync(key, staged, cancellationToken);
        }

        File.Delete(stagedFile);
    }

    public override async Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            return (await bucket.OpenAsync(key, cancellationToken)).Content;
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }
}
