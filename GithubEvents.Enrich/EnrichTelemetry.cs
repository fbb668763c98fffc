using System.Diagnostics;

namespace GithubEvents.Enrich;

/// <summary>The name of Enrich's meter and activity source: the application's own, which the service defaults export.</summary>
public static class EnrichTelemetry
{
    public const string Name = "GithubEvents.Enrich";

    public static readonly ActivitySource ActivitySource = new(Name);
}
