using GithubEvents.Ingest;
using GithubEvents.Ingest.Archive;
using GithubEvents.Ingest.GitHub;
using GithubEvents.Ingest.Publishing;
using GithubEvents.Ingest.Watch;
using GithubEvents.ServiceDefaults.GitHub;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

/// <summary>The Ingest service's parts: Kafka publishing, shared by the live poller and the backfill (GH Archive, or the archive Enrich keeps).</summary>
public static class IngestServiceExtensions
{
    public static IHostApplicationBuilder AddEventPublishing(this IHostApplicationBuilder builder)
    {
        // Defaults that Kafka:Producer:Config may override.
        builder.AddKafkaProducer<string, byte[]>("kafka", kafka =>
        {
            kafka.Config.TryAdd("enable.idempotence", "true");
            kafka.Config.TryAdd("acks", "all");
            kafka.Config.TryAdd("compression.type", "snappy");
            kafka.Config.TryAdd("linger.ms", "20");
        });
        builder.AddEventTopics();
        builder.Services.AddOptions<PublishingOptions>()
            .BindConfiguration(PublishingOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<IngestTelemetry>();
        builder.Services.AddSingleton<EventPublisher>();
        builder.Services.AddHostedService<TopicSetup>();
        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics.AddMeter(IngestTelemetry.Name))
            .WithTracing(tracing => tracing.AddSource(IngestTelemetry.Name));
        return builder;
    }

    public static IHostApplicationBuilder AddLivePolling(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<GitHubOptions>()
            .BindConfiguration(GitHubOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(github => github.PollInterval is null || github.HasToken,
                "GitHub:PollInterval polls faster than GitHub's X-Poll-Interval, which needs GitHub:Token; remove it or set a token.")
            .Validate(github => github.PollInterval is null || !github.ObeyPollInterval,
                "GitHub:PollInterval sets a fixed pace and GitHub:ObeyPollInterval=true the header's: remove one of them.")
            .ValidateOnStart();
        // The poller has its own retry and back-off rules (GitHub's rate limits); a second, hidden layer of
        // retries would break them. RemoveAllResilienceHandlers is experimental, but the one way to opt a client
        // out of ServiceDefaults' ConfigureHttpClientDefaults.
#pragma warning disable EXTEXP0001
        builder.Services.AddHttpClient(EventsFeedClient.HttpClientName, (services, http) =>
                GitHubApi.Configure(http, services.GetRequiredService<IOptions<GitHubOptions>>().Value))
            .RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
        builder.Services.AddSingleton<EventsFeedClient>();
        builder.Services.AddSingleton<FeedReader>();
        builder.Services.AddSingleton(services => new FeedPacing(
            services.GetRequiredService<IOptions<GitHubOptions>>().Value,
            services.GetRequiredService<WatchBudget>(),
            services.GetRequiredService<TimeProvider>(),
            Random.Shared));
        builder.Services.AddHostedService<LivePoller>();

        // The watched feeds: read again at every change of the configuration, so an empty list at start is no reason to
        // leave them out. WatchPoller validates them, at start and at each change.
        builder.Services.AddOptions<WatchOptions>().BindConfiguration(WatchOptions.SectionName);
        builder.Services.AddSingleton<WatchOptionsValidation>();
        builder.Services.AddSingleton<WatchBudget>();
        builder.Services.AddHostedService<WatchPoller>();
        return builder;
    }

    public static IHostApplicationBuilder AddArchiveBackfill(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<GhArchiveOptions>()
            .BindConfiguration(GhArchiveOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(archive => archive.Url.IsAbsoluteUri, "GhArchive:Url must be an absolute URL, e.g. https://data.gharchive.org.")
            .ValidateOnStart();
        // A failed hour is reported and retried by the next run; the files are streamed, so no request timeout.
#pragma warning disable EXTEXP0001
        builder.Services.AddHttpClient(ArchiveBackfill.HttpClientName, http => http.Timeout = Timeout.InfiniteTimeSpan)
            .RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
        builder.AddArchiveStorage();
        builder.Services.AddSingleton<StoredArchive>();
        builder.Services.AddSingleton<FinishedHours>();
        builder.Services.AddSingleton<ArchiveBackfill>();
        return builder;
    }
}
