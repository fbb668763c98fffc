using System.ComponentModel.DataAnnotations;

namespace GithubEvents.Ingest.Publishing;

/// <summary>The bounded buffer between the sources and Kafka, bound from <c>Kafka:Publishing</c>.</summary>
public sealed class PublishingOptions
{
    public const string SectionName = "Kafka:Publishing";

    /// <summary>Messages handed to Kafka but not yet acknowledged; the sources wait while it is full.</summary>
    [Range(1, 1_000_000, ErrorMessage = "Kafka:Publishing:BufferSize must be between 1 and 1000000 messages.")]
    public int BufferSize { get; set; } = 20_000;

    /// <summary>Wait before a failed delivery is sent again.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00", ErrorMessage = "Kafka:Publishing:RetryDelay must be between 10 ms and 10 min.")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// At shutdown, how long Ingest waits for Kafka to acknowledge what it holds before it logs the count it loses. Keep it
    /// below the host's shutdown timeout (30 s) and Kubernetes' termination grace period.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00", ErrorMessage = "Kafka:Publishing:DrainTimeout must be between 1 s and 10 min.")]
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(15);
}
