using System.Text;
using Confluent.Kafka;
using GithubEvents.Enrich.Consuming;

namespace GithubEvents.Tests.Enrich;

/// <summary>Sorting a batch's messages into rows and dead letters, without Kafka or a database.</summary>
public sealed class MessageTriageTests
{
    private const int MaxEventBytes = 4096;

    [Fact]
    public void Events_become_rows_and_everything_else_a_dead_letter_with_its_kind_and_reason()
    {
        var messages = new[]
        {
            Message(0, TestEvents.Event(1, "WatchEvent", DateTime.UtcNow, "alice", 1, "octo/repo")),
            Message(1, null),
            Message(2, new byte[MaxEventBytes + 1]),
            Message(3, "{\"id\":"u8.ToArray()),
            Message(4, "{\"hello\":\"world\"}"u8.ToArray()),
            Message(5, TestEvents.Event(2, "PushEvent", DateTime.UtcNow, "bob", 2, "octo/repo")),
        };

        var triage = MessageTriage.Sort(messages, MaxEventBytes);

        Assert.Equal([0L, 5L], triage.Rows.Select(row => row.Source.Offset.Value));
        Assert.Equal([1L, 2L], triage.Rows.Select(row => row.Row.EventId));
        Assert.Equal(
            [(1L, "empty"), (2L, "too_large"), (3L, "invalid_json"), (4L, "not_an_event")],
            triage.Rejected.Select(letter => (letter.Source.Offset.Value, letter.Kind)));
        Assert.Equal($"{MaxEventBytes + 1} bytes is over Enrich:MaxEventBytes ({MaxEventBytes})", triage.Rejected[1].Reason);
        Assert.StartsWith("invalid JSON", triage.Rejected[2].Reason);
    }

    [Fact]
    public void A_dead_letter_keeps_the_message_and_says_why_and_where_from()
    {
        var source = Message(7, "nope"u8.ToArray());
        source.Message.Key = "42";
        source.Message.Headers = new Headers { { "event.source", "live"u8.ToArray() } };

        var letter = Assert.Single(MessageTriage.Sort([source], MaxEventBytes).Rejected).ToMessage();

        Assert.Equal(("42", "nope"), (letter.Key, Encoding.UTF8.GetString(letter.Value)));
        Assert.Equal(
            [("event.source", "live"), ("dlq.source.topic", "raw"), ("dlq.source.partition", "3"), ("dlq.source.offset", "7")],
            letter.Headers.Where(header => header.Key != "dlq.reason").Select(header => (header.Key, Encoding.UTF8.GetString(header.GetValueBytes()))));
        Assert.StartsWith("invalid JSON", Encoding.UTF8.GetString(letter.Headers.GetLastBytes("dlq.reason")));
    }

    private static ConsumeResult<string, byte[]> Message(long offset, byte[]? value) => new()
    {
        Message = new Message<string, byte[]> { Value = value! },
        TopicPartitionOffset = new TopicPartitionOffset("raw", 3, offset),
    };
}
