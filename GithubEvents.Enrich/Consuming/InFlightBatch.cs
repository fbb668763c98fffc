using System.Diagnostics;
using Confluent.Kafka;

namespace GithubEvents.Enrich.Consuming;

/// <summary>A batch being written: its messages, their triage, the write under way, and the batch's span.</summary>
public sealed class InFlightBatch(List<ConsumeResult<string, byte[]>> messages, TriagedBatch triage, Task write, Activity? activity)
{
    public List<ConsumeResult<string, byte[]>> Messages { get; } = messages;

    public TriagedBatch Triage { get; } = triage;

    public Task Write { get; set; } = write;

    public Activity? Activity { get; } = activity;

    /// <summary>How many times the write failed with the database refusing the batch for good (see <see cref="Storage.DatabaseErrors"/>).</summary>
    public int Refusals { get; set; }

    /// <summary>Drops the messages of partitions lost meanwhile: their new owner starts from the committed offset.</summary>
    public void RemoveLost(PartitionTracker partitions)
    {
        Messages.RemoveAll(message => !partitions.Owns(message.TopicPartition));
        Triage.Rows.RemoveAll(row => !partitions.Owns(row.Source.TopicPartition));
        Triage.Rejected.RemoveAll(letter => !partitions.Owns(letter.Source.TopicPartition));
    }
}
