using System.Globalization;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using GithubEvents.ServiceDefaults.Kafka;
using Microsoft.Extensions.Options;

namespace GithubEvents.Ingest.Publishing;

/// <summary>
/// Creates the raw and dead-letter topics at start-up when they are missing. A broker that does not answer in
/// time (or, like librdkafka's mock cluster, has no controller) does not stop Ingest: the topics are then
/// assumed to exist or to be created by the broker on first write, and a warning says so.
/// </summary>
public sealed partial class TopicSetup(IProducer<string, byte[]> producer, IOptions<TopicOptions> options, ILogger<TopicSetup> logger)
    : IHostedService
{
    public static IReadOnlyList<TopicSpecification> Specifications(TopicOptions options)
    {
        var config = new Dictionary<string, string>
        {
            ["retention.ms"] = ((long)options.Retention.TotalMilliseconds).ToString(CultureInfo.InvariantCulture),
            ["retention.bytes"] = options.RetentionBytes.ToString(CultureInfo.InvariantCulture),
            ["compression.type"] = options.CompressionType,
        };
        return new[] { options.Raw, options.DeadLetters, options.Polls }
            .Select(name => new TopicSpecification
            {
                Name = name,
                NumPartitions = options.Partitions,
                ReplicationFactor = options.ReplicationFactor,
                Configs = new Dictionary<string, string>(config),
            })
            .ToList();
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var topics = Specifications(settings);
        using var admin = new DependentAdminClientBuilder(producer.Handle).Build();
        try
        {
            await admin.CreateTopicsAsync(topics, new CreateTopicsOptions
            {
                RequestTimeout = settings.CreateTimeout,
                OperationTimeout = settings.CreateTimeout,
            }).WaitAsync(settings.CreateTimeout + TimeSpan.FromSeconds(1), cancellationToken);
            LogCreated(string.Join(", ", topics.Select(t => t.Name)), settings.Partitions);
        }
        catch (CreateTopicsException ex)
        {
            foreach (var result in ex.Results)
            {
                if (result.Error.Code == ErrorCode.TopicAlreadyExists)
                {
                    LogExists(result.Topic);
                }
                else if (result.Error.IsError)
                {
                    LogNotCreated(result.Topic, result.Error.Reason);
                }
                else
                {
                    LogCreated(result.Topic, settings.Partitions);
                }
            }
        }
        catch (Exception ex) when (ex is KafkaException or TimeoutException)
        {
            foreach (var topic in topics)
            {
                LogNotCreated(topic.Name, ex.Message);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(LogLevel.Information, "Created Kafka topic(s) {Topics} with {Partitions} partitions")]
    private partial void LogCreated(string topics, int partitions);

    [LoggerMessage(LogLevel.Information, "Kafka topic {Topic} exists")]
    private partial void LogExists(string topic);

    [LoggerMessage(LogLevel.Warning, "Could not create Kafka topic {Topic} ({Reason}); assuming it exists or that the broker creates it on first write, with the broker's defaults")]
    private partial void LogNotCreated(string topic, string reason);
}
