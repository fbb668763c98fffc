using System.Globalization;
using System.Text;
using Confluent.Kafka;

namespace GithubEvents.ServiceDefaults.Kafka;

/// <summary>
/// The one shape of a dead letter, whoever sends it: the original key, bytes and headers, plus
/// <see cref="DeadLetterHeaders"/> saying why and where the message came from.
/// </summary>
public static class DeadLetterMessage
{
    /// <summary>A consumed message nothing can store: its headers, and its topic, partition and offset.</summary>
    public static Message<string, byte[]> FromConsumed(ConsumeResult<string, byte[]> source, string reason)
    {
        var headers = Copy(source.Message.Headers);

        Add(headers, DeadLetterHeaders.Reason, reason);
        Add(headers, DeadLetterHeaders.SourceTopic, source.Topic);
        Add(headers, DeadLetterHeaders.SourcePartition, source.Partition.Value.ToString(CultureInfo.InvariantCulture));
        Add(headers, DeadLetterHeaders.SourceOffset, source.Offset.Value.ToString(CultureInfo.InvariantCulture));
        return new Message<string, byte[]> { Key = source.Message.Key, Value = source.Message.Value ?? [], Headers = headers };
    }

    /// <summary>A line of a file that is not an event: the file (or hour) and its 1-based line number.</summary>
    public static Message<string, byte[]> FromFileLine(ReadOnlyMemory<byte> value, string reason, string file, long line)
    {
        var headers = new Headers();
        Add(headers, DeadLetterHeaders.Reason, reason);
        Add(headers, DeadLetterHeaders.SourceFile, file);
        Add(headers, DeadLetterHeaders.SourceLine, line.ToString(CultureInfo.InvariantCulture));
        return new Message<string, byte[]> { Value = value.ToArray(), Headers = headers };
    }

    /// <summary>
    /// Bytes of a file or a feed page that are no event, at <paramref name="offset"/> in it; at most
    /// <paramref name="maxBytes"/> of them are kept, and then their full length is told.
    /// </summary>
    public static Message<string, byte[]> FromFileBytes(ReadOnlyMemory<byte> value, string reason, string file, long line, long offset, long length, int maxBytes)
    {
        var message = FromFileLine(value.Length > maxBytes ? value[..maxBytes] : value, reason, file, line);
        Add(message.Headers, DeadLetterHeaders.SourceByte, offset.ToString(CultureInfo.InvariantCulture));
        if (length > message.Value.Length)
        {
            Add(message.Headers, DeadLetterHeaders.SourceLength, length.ToString(CultureInfo.InvariantCulture));
        }

        return message;
    }

    /// <summary>A message Kafka refused for <paramref name="topic"/>, as it was to be sent.</summary>
    public static Message<string, byte[]> FromRefused(Message<string, byte[]> message, string topic, string reason)
    {
        var headers = Copy(message.Headers);

        Add(headers, DeadLetterHeaders.Reason, reason);
        Add(headers, DeadLetterHeaders.SourceTopic, topic);
        return new Message<string, byte[]> { Key = message.Key, Value = message.Value, Headers = headers };
    }

    /// <summary>
    /// A dead letter Kafka refused as too large, cut to its key, its headers and the first <paramref name="prefixBytes"/>
    /// of its value, with <see cref="DeadLetterHeaders.TruncatedFrom"/> saying how large the value was.
    /// </summary>
    public static Message<string, byte[]> Truncated(Message<string, byte[]> letter, int prefixBytes)
    {
        var headers = Copy(letter.Headers);
        var value = letter.Value ?? [];
        Add(headers, DeadLetterHeaders.TruncatedFrom, value.Length.ToString(CultureInfo.InvariantCulture));
        return new Message<string, byte[]> { Key = letter.Key, Value = value[..Math.Min(value.Length, prefixBytes)], Headers = headers };
    }

    private static Headers Copy(Headers? original)
    {
        var headers = new Headers();
        foreach (var header in original ?? [])
        {
            headers.Add(header.Key, header.GetValueBytes());
        }

        return headers;
    }

    private static void Add(Headers headers, string key, string value) => headers.Add(key, Encoding.UTF8.GetBytes(value));
}
