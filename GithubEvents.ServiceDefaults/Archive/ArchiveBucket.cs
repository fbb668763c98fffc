using Amazon.S3;
using Amazon.S3.Model;

namespace GithubEvents.ServiceDefaults.Archive;

/// <summary>
/// The archive under a prefix of a bucket: its files by their path in the archive (<c>json/2025-01-01-0.json.gz</c>),
/// the prefix put before each. The few calls both sides need: the archiver puts, the backfill lists and reads.
/// </summary>
public sealed class ArchiveBucket(IAmazonS3 client, string bucket, string prefix)
{
    public string Name => bucket;

    /// <summary>The prefix as keys start with it: empty, or ending with one <c>/</c>.</summary>
    public string Prefix { get; } = prefix.Trim('/') is { Length: > 0 } folder ? folder + "/" : "";

    public string Key(string path) => Prefix + path;

    /// <summary>
    /// Uploads <paramref name="content"/> (seekable: its SHA-256 is signed into the request) as one object: a single
    /// PutObject is atomic, so a reader sees the object before or the whole new one, never part of it.
    /// </summary>
    public async Task PutAsync(string path, Stream content, CancellationToken cancellationToken) =>
        await client.PutObjectAsync(new PutObjectRequest
        {
            BucketName = bucket,
            Key = Key(path),
            InputStream = content,
            AutoCloseStream = false,
            // A signed body of known length rather than aws-chunked uploads, which not every S3-compatible store reads.
            UseChunkEncoding = false,
        }, cancellationToken);

    /// <summary>The names of the objects directly in <paramref name="folder"/> of the archive, e.g. <c>json</c>.</summary>
    public async Task<IReadOnlyList<string>> ListAsync(string folder, CancellationToken cancellationToken)
    {
        var request = new ListObjectsV2Request { BucketName = bucket, Prefix = Key(folder.Trim('/') + "/"), Delimiter = "/" };
        var names = new List<string>();
        ListObjectsV2Response response;
        do
        {
            response = await client.ListObjectsV2Async(request, cancellationToken);
            // Version 4 of the SDK leaves an empty list null.
            names.AddRange((response.S3Objects ?? []).Select(entry => entry.Key[request.Prefix.Length..]));
            request.ContinuationToken = response.NextContinuationToken;
        }
        while (response.IsTruncated == true);

        return names;
    }

    /// <summary>An object's bytes as they arrive, and its length; a missing object throws <see cref="AmazonS3Exception"/> (404).</summary>
    public async Task<(Stream Content, long Length)> OpenAsync(string path, CancellationToken cancellationToken)
    {
        var response = await client.GetObjectAsync(bucket, Key(path), cancellationToken);
        return (response.ResponseStream, response.ContentLength);
    }

    public override string ToString() => $"s3://{bucket}/{Prefix}";
}
