using Confluent.Kafka;
using GithubEvents.ServiceDefaults.Kafka;
using Microsoft.Extensions.Options;

namespace GithubEvents.Enrich.Consuming;

/// <summary>
/// Sends messages nobody can store to the dead-letter topic, and returns once Kafka has them all. One Kafka refuses as
/// too large is sent again cut to its headers and the first <see cref="PrefixBytes"/> of its value
/// (<see cref="DeadLetterMessage.Truncated"/>); one it refuses for good after that, or for another reason
/// (<see cref="KafkaRefusals"/>), is logged and counted as lost rather than tried for ever. Other failures (Kafka
/// unreachable) are thrown, and the batch is retried.
/// </summary>
public sealed partial class DeadLetterPublisher(
    IProducer<string, byte[]> producer,
    IOptions<TopicOptions> topics,
    EnrichMetrics metrics,
    ILogger<DeadLetterPublisher> logger)
{
    /// <summary>Well under Kafka's default limit of 1 MB a message, with room for the headers.</summary>
    public const int PrefixBytes = 64 * 1024;

    public async Task PublishAsync(IReadOnlyCollection<DeadLetter> letters, CancellationToken cancellationToken)
    {
        var topic = topics.Value.DeadLetters;
        var delivered = await Task.WhenAll(letters.Select(letter => SendAsync(topic, letter, letter.ToMessage(), cancellationToken)));
        foreach (var letter in letters.Where((_, index) => delivered[index]))
        {
            metrics.DeadLettered(letter.Kind);
            LogDeadLettered(letter.Source.Topic, letter.Source.Partition.Value, letter.Source.Offset.Value, letter.Reason);
        }
    }

    // False when the letter was lost. A cut letter is at most PrefixBytes, so it is cut once at the most.
    private async Task<bool> SendAsync(string topic, DeadLetter letter, Message<string, byte[]> message, CancellationToken cancellationToken)
    {
        try
        {
            await producer.ProduceAsync(topic, message, cancellationToken);
            return true;
        }
        catch (ProduceException<string, byte[]> tooLarge) when (KafkaRefusals.IsTooLarge(tooLarge.Error) && message.Value.Length > PrefixBytes)
        {
            LogTruncated(letter.Source.Topic, letter.Source.Partition.Value, letter.Source.Offset.Value, message.Value.Length, PrefixBytes, tooLarge.Error.Reason);
            metrics.Truncated();
            return await SendAsync(topic, letter, DeadLetterMessage.Truncated(message, PrefixBytes), cancellationToken);
        }
        catch (ProduceException<string, byte[]> refused) when (KafkaRefusals.IsPermanent(refused.Error))
        {
            return Lose(letter, refused.Error);
        }
    }

    private bool Lose(DeadLetter letter, Error error)
    {
        metrics.Lost("dead_letter", 1);
        LogLost(letter.Source.Topic, letter.Source.Partition.Value, letter.Source.Offset.Value, error.Code, error.Reason, letter.Reason);
        return false;
    }

    [LoggerMessage(LogLevel.Warning, "Message {Topic}/{Partition}@{Offset} went to the dead-letter topic: {Reason}")]
    private partial void LogDeadLettered(string topic, int partition, long offset, string reason);

    [LoggerMessage(LogLevel.Warning,
        "The dead letter of {Topic}/{Partition}@{Offset} ({Bytes} bytes) is too large for Kafka ({KafkaReason}); sending its headers and first {PrefixBytes} bytes")]
    private partial void LogTruncated(string topic, int partition, long offset, int bytes, int prefixBytes, string kafkaReason);

    [LoggerMessage(LogLevel.Critical,
        "The dead letter of {Topic}/{Partition}@{Offset} was lost: Kafka refused it ({Code}: {KafkaReason}); it was a dead letter because {Reason}")]
    private partial void LogLost(string topic, int partition, long offset, ErrorCode code, string kafkaReason, string reason);
}
