using Amazon.Runtime;
using Amazon.S3;
using Microsoft.Extensions.Options;

namespace GithubEvents.ServiceDefaults.Archive;

/// <summary>
/// The S3 client of <see cref="ArchiveStorageOptions"/>, made on first use (a service whose archive is a folder never
/// makes one), and the archive's buckets through it.
/// </summary>
public sealed class ArchiveStorage(IOptions<ArchiveStorageOptions> options) : IDisposable
{
    private readonly Lazy<AmazonS3Client> _client = new(() => CreateClient(options.Value));

    /// <summary>The archive at <c>Archive:S3:Bucket</c> and <c>Archive:S3:Prefix</c>.</summary>
    public ArchiveBucket Configured() =>
        options.Value.IsConfigured
            ? At(options.Value.Bucket!, options.Value.Prefix)
            : throw new InvalidOperationException("Archive:S3:Bucket is not set: name the bucket of the archive (and Archive:S3:ServiceUrl for a store other than AWS's).");

    /// <summary>An archive in another bucket or under another prefix, on the same store with the same credentials.</summary>
    public ArchiveBucket At(string bucket, string prefix) => new(_client.Value, bucket, prefix);

    /// <summary>
    /// A client for AWS or any S3-compatible store: checksums only where an operation requires them (the SDK's default
    /// since 2025, a CRC32 trailer on every upload and a check of every download, is what many S3-compatible stores
    /// refuse or do not send), and path-style addressing unless told otherwise.
    /// </summary>
    public static AmazonS3Client CreateClient(ArchiveStorageOptions options)
    {
        var config = new AmazonS3Config
        {
            ForcePathStyle = options.ForcePathStyle,
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            AuthenticationRegion = options.Region,
        };
        if (options.ServiceUrl is { } serviceUrl)
        {
            config.ServiceURL = serviceUrl.AbsoluteUri;
        }
        else
        {
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(options.Region);
        }

        return options.HasAccessKey
            ? new AmazonS3Client(new BasicAWSCredentials(options.AccessKeyId, options.SecretAccessKey), config)
            : new AmazonS3Client(config);
    }

    public void Dispose()
    {
        if (_client.IsValueCreated)
        {
            _client.Value.Dispose();
        }
    }
}
