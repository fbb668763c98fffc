using GithubEvents.Enrich.Filling;
using GithubEvents.Enrich.Geocoding;
using GithubEvents.Enrich.Profiles;
using GithubEvents.Enrich.Storage;
using GithubEvents.ServiceDefaults.GitHub;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

public static class ProfileExtensions
{
    /// <summary>
    /// Profile lookups, geocoding of their locations (with <c>AddGeocoding</c>'s <c>Geocoder</c>) and the row fills, in
    /// background services beside the write path; nothing at all with <c>Profiles:Enabled=false</c>.
    /// </summary>
    public static IHostApplicationBuilder AddProfiles(this IHostApplicationBuilder builder)
    {
        if (!builder.Configuration.GetValue(ProfileOptions.SectionName + ":" + nameof(ProfileOptions.Enabled), true))
        {
            return builder;
        }

        var services = builder.Services;
        services.AddOptions<ProfileOptions>()
            .BindConfiguration(ProfileOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(profiles => profiles.GraphQLUrl is null || profiles.GraphQLUrl.IsAbsoluteUri, "Profiles:GraphQLUrl must be an absolute URL, e.g. https://api.github.com/graphql.")
            .ValidateOnStart();
        services.AddOptions<FillOptions>()
            .BindConfiguration(FillOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate<IOptions<StorageOptions>>((fills, storage) => storage.Value.EffectiveRefreshWindow >= fills.FillWindow,
                "Storage:AggregateRefreshWindow (by default Storage:Retention) must not be shorter than Profiles:FillWindow: " +
                "the aggregates of rows filled in further back would never be refreshed.")
            .ValidateOnStart();
        services.AddOptions<GitHubApiOptions>()
            .Configure(github => github.UserAgent = "GithubEvents-Enrich")
            .BindConfiguration(GitHubApiOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        // The lookups have their own back-off rules (GitHub's rate limits); a second, hidden layer of retries would break them.
#pragma warning disable EXTEXP0001
        services.AddHttpClient(GitHubProfileClient.HttpClientName, (provider, http) =>
                GitHubApi.Configure(http, provider.GetRequiredService<IOptions<GitHubApiOptions>>().Value))
            .RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001

        // The lookups work off the backlog of old rows' actors, so the writer queues them: this registration, the last,
        // is the one the writer gets instead of the storage layer's Off.
        services.AddSingleton(provider => new ActorBacklogQueueing(provider.GetRequiredService<IOptions<ProfileOptions>>().Value.ActivityWindow));
        services.AddSingleton(provider => new ProfileBudget(provider.GetRequiredService<IOptions<ProfileOptions>>().Value, provider.GetRequiredService<TimeProvider>()));
        services.AddSingleton(provider => new PlaceFillingPace(provider.GetRequiredService<IOptions<ProfileOptions>>().Value.IdleInterval));
        services.AddSingleton(provider => new ProfileCache(provider.GetRequiredService<IOptions<ProfileOptions>>().Value.CacheSize));
        services.AddSingleton<GitHubProfileClient>();
        services.AddSingleton<ProfileLookups>();
        services.AddSingleton<BacklogAllowance>();
        services.AddSingleton<ActorStore>();
        services.AddSingleton<ProfileMetrics>();
        services.AddSingleton<RowFiller>();
        services.AddSingleton<FillMetrics>();
        services.AddSingleton<CoverageReader>();
        services.AddSingleton<NewLocations>();
        services.AddHostedService<ProfileResolver>();
        services.AddHostedService<LateFilling>();
        services.AddHostedService<PlaceFilling>();
        return builder;
    }
}
