using System.ComponentModel.DataAnnotations;

namespace GithubEvents.ServiceDefaults.Kafka;

/// <summary>
/// The pipeline's topics, bound from <c>Kafka:Topics</c> by Ingest, Enrich and the AppHost alike: their names, and how
/// Ingest creates them when they are missing (the AppHost's Kafka container takes the retention as its default).
/// </summary>
public sealed class TopicOptions
{
    public const string SectionName = "Kafka:Topics";

    [Required(ErrorMessage = "Kafka:Topics:Raw must name the topic for raw events.")]
    public string Raw { get; set; } = EventTopics.Raw;

    [Required(ErrorMessage = "Kafka:Topics:DeadLetters must name the dead-letter topic.")]
    public string DeadLetters { get; set; } = EventTopics.DeadLetters;

    [Required(ErrorMessage = "Kafka:Topics:Polls must name the topic for Ingest's poll figures.")]
    public string Polls { get; set; } = EventTopics.Polls;

    [Range(1, 10_000, ErrorMessage = "Kafka:Topics:Partitions must be between 1 and 10000.")]
    public int Partitions { get; set; } = 6;

    /// <summary>-1 leaves it to the broker's <c>default.replication.factor</c>.</summary>
    [Range(-1, 32, ErrorMessage = "Kafka:Topics:ReplicationFactor must be -1 (the broker's default) or between 1 and 32.")]
    public short ReplicationFactor { get; set; } = -1;

    [Range(typeof(TimeSpan), "00:01:00", "3650.00:00:00", ErrorMessage = "Kafka:Topics:Retention must be a time span of at least a minute, e.g. 2.00:00:00.")]
    public TimeSpan Retention { get; set; } = TimeSpan.FromHours(48);

    /// <summary>
    /// Per partition: 48 hours at twice the budget's 100 events a second, about 1,300 bytes a message on disk, over 6
    /// partitions (docs/operations.md, "How long an outage Kafka bridges").
    /// </summary>
    [Range(1L, long.MaxValue, ErrorMessage = "Kafka:Topics:RetentionBytes must be a positive number of bytes (per partition).")]
    public long RetentionBytes { get; set; } = 8L * 1024 * 1024 * 1024;

    [RegularExpression("^(none|gzip|snappy|lz4|zstd|producer)$", ErrorMessage = "Kafka:Topics:CompressionType must be one of none, gzip, snappy, lz4, zstd, producer.")]
    public string CompressionType { get; set; } = "snappy";

    /// <summary>How long start-up waits for the broker to create the topics before it goes on without.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00", ErrorMessage = "Kafka:Topics:CreateTimeout must be between 0.1 s and 10 min.")]
    public TimeSpan CreateTimeout { get; set; } = TimeSpan.FromSeconds(15);
}
