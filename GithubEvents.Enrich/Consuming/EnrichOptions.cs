using System.ComponentModel.DataAnnotations;

namespace GithubEvents.Enrich.Consuming;

/// <summary>How Enrich consumes the raw events (the topics: <c>Kafka:Topics</c>), bound from <c>Enrich</c>.</summary>
public sealed class EnrichOptions
{
    public const string SectionName = "Enrich";

    /// <summary>A batch is written when it holds this many messages...</summary>
    [Range(1, 100_000, ErrorMessage = "Enrich:BatchSize must be between 1 and 100000.")]
    public int BatchSize { get; set; } = 5000;

    /// <summary>...or this long after its first message arrived, whichever comes first.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:01:00", ErrorMessage = "Enrich:BatchWindow must be between 1 ms and 1 minute.")]
    public TimeSpan BatchWindow { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Larger messages go to the dead-letter topic unread.</summary>
    [Range(1024, 100 * 1024 * 1024, ErrorMessage = "Enrich:MaxEventBytes must be between 1 KiB and 100 MiB.")]
    public int MaxEventBytes { get; set; } = 1024 * 1024;

    /// <summary>The first wait after a failed write; it doubles up to <see cref="MaxRetryDelay"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00", ErrorMessage = "Enrich:RetryDelay must be between 1 ms and 1 hour.")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00", ErrorMessage = "Enrich:MaxRetryDelay must be between 1 ms and 1 hour.")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How many times a batch the database refuses for good (a constraint, a trigger) is written whole before it is split
    /// to find the events it refuses, which become dead letters. A refused value (class 22, 54) splits it at once.
    /// </summary>
    [Range(1, 100, ErrorMessage = "Enrich:WholeBatchTries must be between 1 and 100.")]
    public int WholeBatchTries { get; set; } = 3;

    /// <summary>
    /// <c>/alive</c> fails once messages have waited this long without a batch finished: Kubernetes restarts the replica.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "Enrich:StallTimeout must be between 1 second and 1 day.")]
    public TimeSpan StallTimeout { get; set; } = TimeSpan.FromMinutes(10);
}
