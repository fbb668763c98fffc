using GithubEvents.ServiceDefaults.Kafka;

namespace Aspire.Hosting;

/// <summary>The size of the broker's claim in a deployment, from the raw topic's byte limit (<c>Kafka:Topics</c>).</summary>
internal static class KafkaDisk
{
    private const long GiB = 1L << 30;

    // Kafka deletes whole segments (segment.bytes, 1 GiB by default), so a partition holds up to one segment more than
    // retention.bytes.
    private const long SegmentBytes = GiB;

    // For the dead-letter and polls topics (a few messages a minute) and the broker's own files.
    private const double Headroom = 1.3;

    public static string ClaimSize(TopicOptions topics) =>
        $"{(long)Math.Ceiling(topics.Partitions * (topics.RetentionBytes + SegmentBytes) * Headroom / GiB)}Gi";
}
