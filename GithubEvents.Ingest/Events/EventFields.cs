using System.Globalization;

namespace GithubEvents.Ingest.Events;

/// <summary>The four fields Ingest needs from an event; everything else passes through untouched.</summary>
public readonly record struct EventFields(string Id, string Type, string CreatedAt, long ActorId)
{
    /// <summary>The Kafka key: one actor's events stay on one partition.</summary>
    public string Key => ActorId.ToString(CultureInfo.InvariantCulture);
}
