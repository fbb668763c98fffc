using Confluent.Kafka;
using GithubEvents.Enrich.Storage;
using GithubEvents.ServiceDefaults.Kafka;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace GithubEvents.Tests.Enrich;

/// <summary>
/// Enrich's write path as the service registers it (<c>AddApplicationServices</c>), in a host of its own against a
/// test database and topic; and the helpers to feed it and to watch what it did.
/// </summary>
internal sealed class EnrichPipeline(string bootstrapServers, string database, string topic, string group)
{
    // A fresh database's migrations on TimescaleDB, on a loaded machine.
    private static readonly TimeSpan SetupPatience = TimeSpan.FromMinutes(2);

    public string Topic => topic;

    public string DeadLetterTopic { get; } = KafkaMockCluster.NewTopicName();

    public string PollsTopic => $"{topic}-polls";

    public string Group => group;

    public static EnrichPipeline Create(KafkaMockCluster kafka, string database) =>
        new(kafka.BootstrapServers, database, KafkaMockCluster.NewTopicName(), $"enricher-{Guid.NewGuid():N}");

    /// <summary>
    /// Starts a replica and returns once its schema is set up, as the AppHost hands Enrich over once healthy: the setup
    /// runs in the background, and a test's first query on a fresh database would otherwise race it. Disposing the
    /// replica stops it as the host would at shutdown.
    /// </summary>
    /// <param name="logs">Gets the replica's log lines from Debug up, when given.</param>
    /// <param name="configure">Changes the service's registrations, after them.</param>
    public async Task<Replica> StartAsync(string? group = null, IDictionary<string, string?>? settings = null, LogCapture? logs = null,
        Action<IServiceCollection>? configure = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:kafka"] = bootstrapServers,
            [$"ConnectionStrings:{WriterDataSource.ConnectionName}"] = new NpgsqlConnectionStringBuilder(database) { Pooling = true }.ConnectionString,
            ["Kafka:Consumer:Config:group.id"] = group ?? this.Group,
            // The mock cluster completes a rebalance only once every member has rejoined or timed out: a short
            // session keeps a replica joining mid-stream from waiting the default 45 s.
            ["Kafka:Consumer:Config:session.timeout.ms"] = "6000",
            ["Kafka:Consumer:Config:heartbeat.interval.ms"] = "500",
            ["Kafka:Topics:Raw"] = topic,
            ["Kafka:Topics:DeadLetters"] = DeadLetterTopic,
            ["Kafka:Topics:Polls"] = PollsTopic,
            ["Enrich:BatchSize"] = "200",
            ["Enrich:BatchWindow"] = "00:00:00.200",
            ["Enrich:RetryDelay"] = "00:00:00.200",
            ["Enrich:MaxRetryDelay"] = "00:00:01",
            // The archive sample is from 2021: the default retention would drop it as soon as it is written.
            ["Storage:Retention"] = "36500.00:00:00",
            // The write path alone: profile lookups would ask api.github.com, and the archive would write the settled hours to a folder.
            ["Profiles:Enabled"] = "false",
            ["Archive:Enabled"] = "false",
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        if (logs is not null)
        {
            builder.Logging.AddProvider(logs).SetMinimumLevel(LogLevel.Debug);
        }

        builder.AddApplicationServices();
        configure?.Invoke(builder.Services);
        var host = builder.Build();
        await host.StartAsync(TestContext.Current.CancellationToken);
        var replica = new Replica(host);
        var readiness = host.Services.GetRequiredService<StorageReadiness>();
        try
        {
            await EventuallyAsync(() => Task.FromResult(readiness.IsReady), "the replica's database setup", SetupPatience);
        }
        catch
        {
            await replica.DisposeAsync();
            throw;
        }

        return replica;
    }

    public sealed class Replica(IHost host) : IAsyncDisposable
    {
        public IServiceProvider Services => host.Services;

        /// <summary>What <c>/health</c> answers: every check of the replica.</summary>
        public Task<HealthReport> CheckHealthAsync() =>
            host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(TestContext.Current.CancellationToken);

        /// <summary>What <c>/alive</c> answers: the checks tagged <c>live</c>.</summary>
        public Task<HealthReport> CheckLivenessAsync() =>
            host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(check => check.Tags.Contains("live"), TestContext.Current.CancellationToken);

        public async ValueTask DisposeAsync()
        {
            await host.StopAsync(CancellationToken.None);
            host.Dispose();
        }
    }

    /// <param name="partition">The partition of every message; by default the key's.</param>
    public void Produce(IEnumerable<(string? Key, byte[] Value)> messages, int? partition = null)
    {
        using var producer = new ProducerBuilder<string?, byte[]>(new ProducerConfig { BootstrapServers = bootstrapServers, LingerMs = 5 }).Build();
        foreach (var (key, value) in messages)
        {
            var message = new Message<string?, byte[]> { Key = key, Value = value };
            if (partition is { } chosen)
            {
                producer.Produce(new TopicPartition(topic, chosen), message);
            }
            else
            {
                producer.Produce(topic, message);
            }
        }

        Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(30)));
    }

    public void ProducePollFigures(PollFigures figures)
    {
        using var producer = new ProducerBuilder<string?, byte[]>(new ProducerConfig { BootstrapServers = bootstrapServers }).Build();
        producer.Produce(PollsTopic, new Message<string?, byte[]> { Key = figures.Poller, Value = figures.ToJson() });
        Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(30)));
    }

    /// <summary>The messages of the dead-letter topic: the expected number, and any more that arrive soon after.</summary>
    public List<ConsumeResult<string, byte[]>> DeadLetters(int expected)
    {
        using var consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = $"dlq-reader-{Guid.NewGuid():N}",
            AutoOffsetReset = AutoOffsetReset.Earliest,
        }).Build();
        consumer.Subscribe(DeadLetterTopic);
        var letters = new List<ConsumeResult<string, byte[]>>();
        // Reads until the expected number arrived, then one more quiet second to catch any beyond it.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        var quietUntil = DateTime.UtcNow.AddSeconds(1);
        while (DateTime.UtcNow < deadline && (letters.Count < expected || DateTime.UtcNow < quietUntil))
        {
            try
            {
                if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { IsPartitionEOF: false } result)
                {
                    letters.Add(result);
                    quietUntil = DateTime.UtcNow.AddSeconds(1);
                }
            }
            catch (ConsumeException ex) when (ex.Error.Code == ErrorCode.UnknownTopicOrPart)
            {
                // Nothing was ever dead-lettered, so the topic does not exist (yet).
            }
        }

        consumer.Close();
        return letters;
    }

    /// <summary>The group's committed offsets of the topic, summed over its partitions (an unset one counts 0).</summary>
    public long CommittedTotal(string? group = null)
    {
        using var consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig { BootstrapServers = bootstrapServers, GroupId = group ?? Group }).Build();
        var partitions = Enumerable.Range(0, KafkaMockCluster.AutoCreatedPartitions).Select(partition => new TopicPartition(topic, partition));
        return consumer.Committed(partitions, TimeSpan.FromSeconds(10)).Sum(offset => Math.Max(offset.Offset.Value, 0));
    }

    /// <summary>The partition's oldest offset Kafka still has and the offset of its next message.</summary>
    public WatermarkOffsets Watermarks(int partition)
    {
        using var consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig { BootstrapServers = bootstrapServers, GroupId = $"watermarks-{Guid.NewGuid():N}" }).Build();
        return consumer.QueryWatermarkOffsets(new TopicPartition(topic, partition), TimeSpan.FromSeconds(10));
    }

    public async Task<long> CountAsync(string sql = "SELECT count(*) FROM events") => (long)(await Sql.ScalarAsync(database, sql))!;

    /// <summary>Polls until the condition holds, failing after <paramref name="patience"/> (a minute unless given).</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, string what, TimeSpan? patience = null)
    {
        var deadline = DateTime.UtcNow + (patience ?? TimeSpan.FromSeconds(60));
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting for: {what}");
            await Task.Delay(250, TestContext.Current.CancellationToken);
        }
    }
}
