using Confluent.Kafka;
using GithubEvents.ServiceDefaults.Kafka;
using Microsoft.Extensions.Options;

namespace GithubEvents.Enrich.Consuming;

/// <summary>Sends messages nobody can store to the dead-letter topic, and returns once Kafka has them all.</summary>
public sealed partial class DeadLetterPublisher(
    IProducer<string, byte[]> producer,
    IOptions<TopicOptions> topics,
    EnrichMetrics metrics,
    ILogger<DeadLetterPublisher> logger)
{
    public async Task PublishAsync(IReadOnlyCollection<DeadLetter> letters, CancellationToken cancellationToken)
    {
        var topic = topics.Value.DeadLetters;
        await Task.WhenAll(letters.Select(letter => producer.ProduceAsync(topic, letter.ToMessage(), cancellationToken)));
        foreach (var letter in letters)
        {
            metrics.DeadLettered(letter.Kind);
            LogDeadLettered(letter.Source.Topic, letter.Source.Partition.Value, letter.Source.Offset.Value, letter.Reason);
        }
    }

    [LoggerMessage(LogLevel.Warning, "Message {Topic}/{Partition}@{Offset} went to the dead-letter topic: {Reason}")]
    private partial void LogDeadLettered(string topic, int partition, long offset, string reason);
}
