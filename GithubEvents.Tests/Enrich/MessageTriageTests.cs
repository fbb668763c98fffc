using System.Text;
using Confluent.Kafka;
using GithubEvents.Enrich.Consuming;
using GithubEvents.Enrich.Events;
using GithubEvents.ServiceDefaults.Kafka;

namespace GithubEvents.Tests.Enrich;

/// <summary>Sorting a batch's messages into rows, poll figures and dead letters, without Kafka or a database.</summary>
public sealed class MessageTriageTests
{
    private const int MaxEventBytes = 4096;
    private const string PollsTopic = "polls";

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

        var triage = MessageTriage.Sort(messages, MaxEventBytes, PollsTopic);

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

        var letter = Assert.Single(MessageTriage.Sort([source], MaxEventBytes, PollsTopic).Rejected).ToMessage();

        Assert.Equal(("42", "nope"), (letter.Key, Encoding.UTF8.GetString(letter.Value)));
        Assert.Equal(
            [("event.source", "live"), ("dlq.source.topic", "raw"), ("dlq.source.partition", "3"), ("dlq.source.offset", "7")],
            letter.Headers.Where(header => header.Key != "dlq.reason").Select(header => (header.Key, Encoding.UTF8.GetString(header.GetValueBytes()))));
        Assert.StartsWith("invalid JSON", Encoding.UTF8.GetString(letter.Headers.GetLastBytes("dlq.reason")));
    }

    [Fact]
    public void Each_row_carries_the_bit_of_the_source_its_message_names_and_none_for_an_unknown_or_missing_source()
    {
        var messages = new[] { EventSources.Live, EventSources.Archive, "carrier-pigeon", null }
            .Select((source, i) =>
            {
                var message = Message(i, TestEvents.Event(i + 1, "WatchEvent", DateTime.UtcNow, "alice", 1, "octo/repo"));
                if (source is not null)
                {
                    message.Message.Headers = new Headers { { EventHeaders.Source, Encoding.UTF8.GetBytes(source) } };
                }

                return message;
            })
            .ToList();

        var triage = MessageTriage.Sort(messages, MaxEventBytes, PollsTopic);

        Assert.Equal([SourceBits.Live, SourceBits.Archive, (short)0, (short)0], triage.Rows.Select(row => row.Row.Sources));
    }

    [Fact]
    public void Messages_of_the_polls_topic_become_poll_figures_and_malformed_ones_dead_letters()
    {
        var figures = new PollFigures(new DateTimeOffset(2026, 12, 1, 10, 42, 0, TimeSpan.Zero), "ingest-1", 3, 5, 3, 1, 1, 300, 120, 1);
        var messages = new[]
        {
            Message(0, figures.ToJson(), PollsTopic),
            Message(1, "{\"minute\":\"2026-12-01T10:42:17Z\",\"poller\":\"ingest-1\"}"u8.ToArray(), PollsTopic),
            Message(2, "{\"minute\":\"2026-12-01T10:42:00Z\",\"poller\":\"ingest-1\",\"polls\":-1}"u8.ToArray(), PollsTopic),
            Message(3, "{\"minute\":\"2026-12-01T10:42:00Z\"}"u8.ToArray(), PollsTopic),
            Message(4, "[1,"u8.ToArray(), PollsTopic),
        };

        var triage = MessageTriage.Sort(messages, MaxEventBytes, PollsTopic);

        Assert.Equal([figures], triage.Polls);
        Assert.Empty(triage.Rows);
        Assert.Equal(
            [(1L, "minute 2026-12-01T10:42:17.0000000+00:00 is not a whole minute"), (2L, "a negative count"), (3L, "no poller")],
            triage.Rejected.Take(3).Select(letter => (letter.Source.Offset.Value, letter.Reason)));
        Assert.All(triage.Rejected, letter => Assert.Equal("invalid_poll_figures", letter.Kind));
        Assert.StartsWith("invalid JSON", triage.Rejected[3].Reason);
    }

    private static ConsumeResult<string, byte[]> Message(long offset, byte[]? value, string topic = "raw") => new()
    {
        Message = new Message<string, byte[]> { Value = value! },
        TopicPartitionOffset = new TopicPartitionOffset(topic, 3, offset),
    };
}
