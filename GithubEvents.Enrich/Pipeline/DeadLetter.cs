using Confluent.Kafka;
using GithubEvents.ServiceDefaults.Kafka;

namespace GithubEvents.Enrich.Pipeline;

/// <summary>A consumed message that is not a storable event, and why.</summary>
/// <param name="Kind">A low-cardinality name of the reason, for metrics.</param>
public sealed record DeadLetter(ConsumeResult<string, byte[]> Source, string Kind, string Reason)
{
    /// <summary>The original key, value and headers, plus the reason and where the message came from.</summary>
    public Message<string, byte[]> ToMessage()
    {
        var headers = new Headers();
        foreach (var header in Source.Message.Headers ?? [])
        {
            headers.Add(header.Key, header.GetValueBytes());
        }

        headers.Add(DeadLetterHeaders.Reason, System.Text.Encoding.UTF8.GetBytes(Reason));
        headers.Add(DeadLetterHeaders.SourceTopic, System.Text.Encoding.UTF8.GetBytes(Source.Topic));
        headers.Add(DeadLetterHeaders.SourcePartition, System.Text.Encoding.UTF8.GetBytes(Source.Partition.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        headers.Add(DeadLetterHeaders.SourceOffset, System.Text.Encoding.UTF8.GetBytes(Source.Offset.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return new Message<string, byte[]> { Key = Source.Message.Key, Value = Source.Message.Value ?? [], Headers = headers };
    }
}
