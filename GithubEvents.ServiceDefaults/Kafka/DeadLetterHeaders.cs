namespace GithubEvents.ServiceDefaults.Kafka;

/// <summary>Headers on <see cref="EventTopics.DeadLetters"/> messages.</summary>
public static class DeadLetterHeaders
{
    public const string Reason = "dlq.reason";
    public const string SourceTopic = "dlq.source.topic";
    public const string SourcePartition = "dlq.source.partition";
    public const string SourceOffset = "dlq.source.offset";

    /// <summary>For lines of a GH Archive file: the file (or hour) and the 1-based line number.</summary>
    public const string SourceFile = "dlq.source.file";
    public const string SourceLine = "dlq.source.line";

    /// <summary>On a dead letter Kafka refused as too large and that was sent again cut to a prefix: its size in bytes before.</summary>
    public const string TruncatedFrom = "dlq.truncated.from";

    /// <summary>For bytes of a file or a feed page: where they start in it (the byte offset, from 0).</summary>
    public const string SourceByte = "dlq.source.byte";

    /// <summary>For bytes of a file or a feed page: how many there were, when the message holds only their first ones.</summary>
    public const string SourceLength = "dlq.source.length";
}
