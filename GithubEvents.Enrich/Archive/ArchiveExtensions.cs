using GithubEvents.Enrich.Archive;
using GithubEvents.Enrich.Storage;
using GithubEvents.ServiceDefaults.Archive;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

public static class ArchiveExtensions
{
    /// <summary>
    /// The hourly archive (<c>Archive:*</c>), in a folder, or in S3 when <c>Archive:S3:Bucket</c> is set; off, only what
    /// tells retention that it keeps nothing.
    /// </summary>
    public static IHostApplicationBuilder AddArchive(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<ArchiveOptions>()
            .BindConfiguration(ArchiveOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate<IOptions<StorageOptions>>((archive, storage) => !archive.Enabled || storage.Value.Retention >= archive.ShortestRetention,
                "Storage:Retention is too short for the archive: with Archive:Enabled it must be at least Archive:SettleDelay plus 2 hours " +
                "(the hour, its settle delay and an hour to export it), so that no hour leaves the database before it is archived. " +
                "Raise Storage:Retention, shorten Archive:SettleDelay, or set Archive:Enabled to false.")
            .ValidateOnStart();
        services.AddSingleton<ArchiveStore>();
        if (!builder.Configuration.GetValue(ArchiveOptions.SectionName + ":" + nameof(ArchiveOptions.Enabled), new ArchiveOptions().Enabled))
        {
            services.AddHostedService<ArchiveOff>();
            return builder;
        }

        builder.AddArchiveStorage();
        services.AddSingleton<ArchiveTarget>(provider => provider.GetRequiredService<IOptions<ArchiveStorageOptions>>().Value.IsConfigured
            ? new S3ArchiveTarget(provider.GetRequiredService<ArchiveStorage>().Configured())
            : new FolderArchiveTarget(provider.GetRequiredService<IOptions<ArchiveOptions>>().Value.Path));
        services.AddSingleton<HourExporter>();
        services.AddHostedService<Archiver>();
        return builder;
    }
}
