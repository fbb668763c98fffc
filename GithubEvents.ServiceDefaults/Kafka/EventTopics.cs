namespace GithubEvents.ServiceDefaults.Kafka;

/// <summary>The default names of the topics the pipeline shares between Ingest and Enrich (<see cref="TopicOptions"/> sets them).</summary>
public static class EventTopics
{
    /// <summary>Raw GitHub events: value is the event's JSON as received, key is the actor id.</summary>
    public const string Raw = "github.events.raw";

    /// <summary>Messages nothing could use: value is the original bytes, headers say why and where from.</summary>
    public const string DeadLetters = "github.events.dlq";

    /// <summary>Ingest's poll figures: value is a <see cref="PollFigures"/> as JSON, key is the poller.</summary>
    public const string Polls = "github.ingest.polls";
}
