using Microsoft.Extensions.Logging;

namespace Aspire.Hosting;

/// <summary>
/// Where Enrich's archive goes (docs/archive.md): the bucket of <c>Archive:S3:*</c> when one is set; else a folder, in a
/// run beside the local database's folder (or <see cref="PathSetting"/>), in a deployment on a persistent volume of
/// <see cref="ClaimSizeSetting"/>. A deployment with neither has no archive, which publishing says, since only the
/// operator can choose what keeping everything costs.
/// </summary>
public static class EventArchiveExtensions
{
    public const string EnabledSetting = "Archive:Enabled";
    public const string PathSetting = "Archive:Path";
    public const string BucketSetting = "Archive:S3:Bucket";
    public const string ServiceUrlSetting = "Archive:S3:ServiceUrl";
    public const string ClaimSizeSetting = "Archive:ClaimSize";

    /// <summary>The archive's folder in a deployment, on its volume.</summary>
    public const string DeployedPath = "/var/lib/github-events/archive";

    /// <summary>
    /// Gives Enrich the archive's place and the S3 credentials (<paramref name="accessKeyId"/>,
    /// <paramref name="secretAccessKey"/>); after <c>WithReplicasFrom</c>, since one volume serves one replica.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithEventArchive(
        this IResourceBuilder<ProjectResource> enrich,
        IResourceBuilder<ParameterResource> accessKeyId,
        IResourceBuilder<ParameterResource> secretAccessKey)
    {
        var app = enrich.ApplicationBuilder;
        var configuration = app.Configuration;
        if (configuration[EnabledSetting] is { } enabled && bool.TryParse(enabled, out var on) && !on)
        {
            return enrich.WithEnvironment("Archive__Enabled", "false");
        }

        enrich.WithSettingsFrom("Archive:S3")
            .WithEnvironment("Archive__S3__AccessKeyId", accessKeyId)
            .WithEnvironment("Archive__S3__SecretAccessKey", secretAccessKey)
            .WithArchiveStorageEgress();
        if (configuration[BucketSetting] is { Length: > 0 } bucket)
        {
            StartupLog.Write(app, logger => logger.LogInformation("The archive goes to the bucket {Bucket} ({Setting})", bucket, BucketSetting));
            return enrich;
        }

        if (app.ExecutionContext.IsPublishMode)
        {
            return Deployed(enrich, configuration[ClaimSizeSetting]);
        }

        var path = configuration[PathSetting] is { Length: > 0 } configured
            ? Path.GetFullPath(configured)
            : LocalPostgresOptions.From(configuration).FolderBeside("archive");
        StartupLog.Write(app, logger => logger.LogInformation("The archive goes to {Path} ({Setting}; {Bucket} for object storage)", path, PathSetting, BucketSetting));
        return enrich.WithEnvironment("Archive__Path", path);
    }

    /// <summary>
    /// In a deployment, lets the service reach the archive's object storage (<see cref="ServiceUrlSetting"/>) on its port
    /// when that is not one the service may use already (443, 80): a MinIO's 9000, say.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithArchiveStorageEgress(this IResourceBuilder<ProjectResource> service)
    {
        return service.ApplicationBuilder.Configuration[ServiceUrlSetting] is { Length: > 0 } url
               && Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Port is not (443 or 80)
            ? service.WithEgressOutsideCluster(uri.Port)
            : service;
    }

    private static IResourceBuilder<ProjectResource> Deployed(IResourceBuilder<ProjectResource> enrich, string? claimSize)
    {
        var app = enrich.ApplicationBuilder;
        if (claimSize is not { Length: > 0 })
        {
            StartupLog.Write(app, logger => logger.LogWarning(
                "The deployment keeps no archive: set {Bucket} (object storage) or {ClaimSize} (a volume, e.g. 200Gi) to keep what leaves the database, or {Enabled}=false to say so (docs/archive.md)",
                BucketSetting, ClaimSizeSetting, EnabledSetting));
            return enrich.WithEnvironment("Archive__Enabled", "false");
        }

        var replicas = enrich.Resource.Annotations.OfType<ReplicaAnnotation>().LastOrDefault()?.Replicas ?? 1;
        if (replicas > 1)
        {
            throw new DistributedApplicationException(
                $"{ClaimSizeSetting} gives the archive one volume, which {replicas} Enrich replicas cannot share: set {BucketSetting} (object storage) instead, or Enrich:Replicas=1.");
        }

        return enrich.WithPersistentStorage(DeployedPath, claimSize).WithEnvironment("Archive__Path", DeployedPath);
    }
}
