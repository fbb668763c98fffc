using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;

namespace GithubEvents.ServiceDefaults.Archive;

/// <summary>
/// The archive's S3-compatible object storage, bound from <c>Archive:S3</c>: Enrich's archiver writes there, Ingest's
/// backfill reads from there. Unset <see cref="Bucket"/>: no object storage.
/// </summary>
public sealed partial class ArchiveStorageOptions : IValidatableObject
{
    public const string SectionName = "Archive:S3";

    /// <summary>The store's endpoint (MinIO, Ceph, R2, s3rver...); unset: AWS's own, in <see cref="Region"/>.</summary>
    public Uri? ServiceUrl { get; set; }

    [RegularExpression("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$",
        ErrorMessage = "Archive:S3:Bucket must be a bucket name: 3 to 63 lower-case letters, digits, dots and hyphens.")]
    public string? Bucket { get; set; }

    /// <summary>
    /// The folder of the archive in the bucket (<c>json/</c>, <c>parquet/</c> and <c>manifest/</c> go below it); empty: the
    /// bucket's root. Names of S3's safe characters between single slashes, without <c>.</c> or <c>..</c> and not
    /// starting with a slash.
    /// </summary>
    public string Prefix { get; set; } = "";

    /// <summary>The region signed into each request; most S3-compatible stores take any, AWS wants the bucket's.</summary>
    [Required(ErrorMessage = "Archive:S3:Region must name the region, e.g. us-east-1 (most S3-compatible stores accept any).")]
    public string Region { get; set; } = "us-east-1";

    /// <summary><c>https://host/bucket/key</c> rather than <c>https://bucket.host/key</c>: what most S3-compatible stores serve.</summary>
    public bool ForcePathStyle { get; set; } = true;

    /// <summary>With <see cref="SecretAccessKey"/>; both unset: the SDK's default credentials (environment, profile, instance role).</summary>
    public string? AccessKeyId { get; set; }

    /// <summary>A secret: the AppHost passes it from a secret parameter. Never logged.</summary>
    public string? SecretAccessKey { get; set; }

    public bool IsConfigured => !string.IsNullOrEmpty(Bucket);

    public bool HasAccessKey => !string.IsNullOrEmpty(AccessKeyId);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (ServiceUrl is { } url && (!url.IsAbsoluteUri || url.Scheme is not ("http" or "https")))
        {
            yield return new ValidationResult("Archive:S3:ServiceUrl must be an absolute http or https URL, e.g. http://minio:9000.", [nameof(ServiceUrl)]);
        }

        if (HasAccessKey != !string.IsNullOrEmpty(SecretAccessKey))
        {
            yield return new ValidationResult(
                "Archive:S3:AccessKeyId and Archive:S3:SecretAccessKey go together: set both, or neither for the SDK's default credentials.",
                [nameof(AccessKeyId), nameof(SecretAccessKey)]);
        }

        if (!IsSafePrefix(Prefix))
        {
            yield return new ValidationResult(
                "Archive:S3:Prefix must be a folder in the bucket such as archive/github-events: names of letters, digits and ! - _ . * ' ( ) " +
                "between single slashes, no '.' or '..' among them, and no slash first.", [nameof(Prefix)]);
        }

        if (ServiceUrl is not null && !IsConfigured)
        {
            yield return new ValidationResult("Archive:S3:ServiceUrl is set but Archive:S3:Bucket is not: name the archive's bucket.", [nameof(Bucket)]);
        }
    }

    private static bool IsSafePrefix(string prefix) =>
        string.IsNullOrEmpty(prefix) || (SafePrefix().IsMatch(prefix) && prefix.Split('/').All(name => name is not ("." or "..")));

    // S3's "safe characters" for keys; a trailing slash is allowed, an empty name between two is not.
    [GeneratedRegex(@"^[A-Za-z0-9!_.*'()-]+(/[A-Za-z0-9!_.*'()-]+)*/?$")]
    private static partial Regex SafePrefix();
}
