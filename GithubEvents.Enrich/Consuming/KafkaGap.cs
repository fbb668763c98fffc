namespace GithubEvents.Enrich.Consuming;

/// <summary>
/// Offsets of a partition that Kafka deleted before Enrich read them: <see cref="FromOffset"/> up to
/// <see cref="ToOffset"/> (exclusive), between the messages Kafka stamped <see cref="Before"/> (NULL when this process
/// did not read it) and <see cref="After"/>.
/// </summary>
public sealed record KafkaGap(string Topic, int Partition, long FromOffset, long ToOffset, DateTime? Before, DateTime After)
{
    public long Lost => ToOffset - FromOffset;
}
