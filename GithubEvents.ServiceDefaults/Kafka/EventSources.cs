namespace GithubEvents.ServiceDefaults.Kafka;

/// <summary>The values of <see cref="EventHeaders.Source"/>: which of Ingest's sources delivered an event.</summary>
public static class EventSources
{
    /// <summary>GitHub's events API, polled.</summary>
    public const string Live = "live";

    /// <summary>A GH Archive hour, replayed.</summary>
    public const string Archive = "archive";

    /// <summary>The feed of a watched repository or organisation (<c>GitHub:Watch</c>), polled.</summary>
    public const string Watch = "watch";
}
