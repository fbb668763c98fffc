using GithubEvents.ServiceDefaults.Archive;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.Hosting;

public static class ArchiveStorageExtensions
{
    /// <summary>The archive's object storage (<see cref="ArchiveStorageOptions"/>, from <c>Archive:S3</c>), validated at start-up.</summary>
    public static IHostApplicationBuilder AddArchiveStorage(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ArchiveStorageOptions>()
            .BindConfiguration(ArchiveStorageOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.TryAddSingleton<ArchiveStorage>();
        return builder;
    }
}
