using Confluent.Kafka;
using GithubEvents.Enrich.Events;
using GithubEvents.ServiceDefaults.Kafka;

namespace GithubEvents.Enrich.Consuming;

/// <summary>Sorts consumed messages into events, poll figures and dead letters, with the reason for each of these; no I/O.</summary>
public static class MessageTriage
{
    /// <param name="maxEventBytes"><c>Enrich:MaxEventBytes</c>: larger messages are dead letters unread.</param>
    /// <param name="pollsTopic"><c>Kafka:Topics:Polls</c>: its messages are poll figures, the others events.</param>
    public static TriagedBatch Sort(IReadOnlyCollection<ConsumeResult<string, byte[]>> messages, int maxEventBytes, string pollsTopic)
    {
        var rows = new List<ParsedEvent>(messages.Count);
        var polls = new List<PollFigures>();
        var rejected = new List<DeadLetter>();
        foreach (var message in messages)
        {
            var value = message.Message.Value;
            if (value is null || value.Length == 0)
            {
                rejected.Add(new DeadLetter(message, "empty", "the message has no value"));
            }
            else if (value.Length > maxEventBytes)
            {
                rejected.Add(new DeadLetter(message, "too_large", $"{value.Length} bytes is over Enrich:MaxEventBytes ({maxEventBytes})"));
            }
            else
            {
                // Whatever a message holds, reading it must not stop the consumer: a failure of the readers
                // themselves is that message's dead letter, and the batch goes on.
                try
                {
                    Sort(message, value, pollsTopic, rows, polls, rejected);
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    rejected.Add(new DeadLetter(message, "unreadable", $"the message could not be read: {ex.GetType().Name}: {ex.Message}"));
                }
            }
        }

        return new TriagedBatch(rows, polls, rejected, []);
    }

    private static void Sort(
        ConsumeResult<string, byte[]> message, byte[] value, string pollsTopic, List<ParsedEvent> rows, List<PollFigures> polls, List<DeadLetter> rejected)
    {
        if (message.Topic == pollsTopic)
        {
            if (PollFigures.TryParse(value, out var figures, out var rejection))
            {
                polls.Add(figures);
            }
            else
            {
                rejected.Add(new DeadLetter(message, "invalid_poll_figures", rejection));
            }
        }
        else if (GitHubEventParser.TryParse(value, out var row, out var reason))
        {
            rows.Add(new ParsedEvent(message, row with { Sources = SourceBits.Of(message.Message.Headers) }));
        }
        else
        {
            rejected.Add(new DeadLetter(message, reason.StartsWith("invalid JSON", StringComparison.Ordinal) ? "invalid_json" : "not_an_event", reason));
        }
    }
}
