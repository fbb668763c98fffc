using GithubEvents.Enrich;
using GithubEvents.Enrich.Consuming;
using GithubEvents.Enrich.Leadership;
using GithubEvents.Enrich.Storage;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.Hosting;

public static class Extensions
{
    /// <summary>The write path (schema setup, the Kafka consumer and dead-letter producer, the database writer) and enrichment.</summary>
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddDatabaseSetup();
        builder.AddEventTopics();
        builder.AddKafkaConsumer<string, byte[]>("kafka",
            kafka =>
            {
                kafka.Config.TryAdd("group.id", "github-events-enricher");
                // A new group starts at the oldest retained event, so nothing before its first start is skipped. A committed
                // offset Kafka has deleted meanwhile resets to the oldest too: KafkaGapDetector records the gap.
                kafka.Config.TryAdd("auto.offset.reset", "earliest");
                // librdkafka prefetches up to 64 MB by default; a few batches ahead is enough and keeps memory down.
                kafka.Config.TryAdd("queued.max.messages.kbytes", "16384");
                // A subscribed topic that appears after the group joined (Ingest creates the topics when it starts, and the
                // polls topic may exist before the raw one) is seen at the next metadata refresh: 5 minutes by default.
                kafka.Config.TryAdd("topic.metadata.refresh.interval.ms", "10000");
                // EventConsumer commits offsets once the rows are in the database, never the client on its own.
                kafka.Config["enable.auto.commit"] = "false";
            },
            (services, consumer) => services.GetRequiredService<PartitionTracker>().Attach(consumer));
        builder.AddKafkaProducer<string, byte[]>("kafka", kafka =>
        {
            kafka.Config.TryAdd("enable.idempotence", "true");
            kafka.Config.TryAdd("acks", "all");
        });

        var services = builder.Services;
        services.AddOptions<EnrichOptions>().BindConfiguration(EnrichOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(ActorBacklogQueueing.Off);
        services.AddSingleton<WriterDataSource>();
        services.TryAddSingleton<EnrichMeter>();
        services.AddSingleton<LeaderElection>();
        services.AddSingleton<EventWriter>();
        services.AddSingleton<PollFiguresWriter>();
        services.AddSingleton<KafkaGapWriter>();
        services.AddSingleton<PipelineMinutesWriter>();
        services.AddHostedService<DatabaseSetup>();
        services.AddHostedService<PostgresMaintenance>();
        services.AddHealthChecks().AddCheck<StorageReadiness>("database-schema", tags: ["ready"]);

        services.AddSingleton<PartitionTracker>();
        services.AddSingleton<PipelineFigures>();
        services.AddSingleton<EnrichMetrics>();
        services.AddSingleton<KafkaGapDetector>();
        services.AddSingleton<BatchCollector>();
        services.AddSingleton<BatchWriter>();
        services.AddSingleton<OffsetCommitter>();
        services.AddSingleton<DeadLetterPublisher>();
        services.AddSingleton<WritePause>();
        services.AddHealthChecks().AddCheck<WritePause>("database-writes", tags: ["ready"]);
        services.AddSingleton<ConsumerProgress>();
        services.AddHealthChecks().AddCheck<ConsumerProgress>("consumer-progress", tags: ["live"]);
        services.AddHostedService<EventConsumer>();
        services.AddHostedService<PipelineFiguresRecorder>();

        builder.AddGeocoding();
        builder.AddProfiles();
        builder.AddRestoration();
        builder.AddArchive();

        return builder;
    }

    /// <summary>What <see cref="DatabaseSetup"/> needs, for Enrich and for its <c>migrate</c> command alike.</summary>
    public static IHostApplicationBuilder AddDatabaseSetup(this IHostApplicationBuilder builder)
    {
        builder.AddNpgsqlDataSource(WriterDataSource.ConnectionName);
        var services = builder.Services;
        services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<RetentionOptions>()
            .BindConfiguration(RetentionOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<StorageReadiness>();
        services.AddSingleton<SchemaMigrator>();
        return builder;
    }
}
