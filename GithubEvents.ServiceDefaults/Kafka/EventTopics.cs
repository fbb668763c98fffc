namespace GithubEvents.ServiceDefaults.Kafka;

/// <summary>The topics the pipeline shares between Ingest and Enrich, and the headers on their messages.</summary>
public static class EventTopics
{
    /// <summary>Raw GitHub events: value is the event's JSON as received, key is the actor id.</summary>
    public const string Raw = "github.events.raw";

    /// <summary>Messages nothing could use: value is the original bytes, headers say why and where from.</summary>
    public const string DeadLetters = "github.events.dlq";
}

/// <summary>Headers on <see cref="EventTopics.Raw"/> messages.</summary>
public static class EventHeaders
{
    public const string Type = "event.type";
    public const string CreatedAt = "event.created_at";

    /// <summary><c>live</c> or <c>archive</c>.</summary>
    public const string Source = "event.source";
}

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
}
