namespace GithubEvents.ServiceDefaults.Kafka;

/// <summary>Headers on <see cref="EventTopics.Raw"/> messages.</summary>
public static class EventHeaders
{
    public const string Type = "event.type";
    public const string CreatedAt = "event.created_at";

    /// <summary>One of <see cref="EventSources"/>.</summary>
    public const string Source = "event.source";
}
