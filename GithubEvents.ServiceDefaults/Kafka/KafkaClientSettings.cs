namespace GithubEvents.ServiceDefaults.Kafka;

/// <summary>
/// Settings of one Kafka producer or consumer, bound from <c>Kafka:Producer</c> or <c>Kafka:Consumer</c>.
/// The bootstrap servers come from <c>ConnectionStrings:{name}</c>, as Aspire passes them.
/// </summary>
public sealed class KafkaClientSettings
{
    /// <summary>Bootstrap servers, e.g. <c>localhost:9092</c>.</summary>
    public string? BootstrapServers { get; set; }

    /// <summary>librdkafka properties (e.g. <c>linger.ms</c>, <c>security.protocol</c>), passed through as they are.</summary>
    public Dictionary<string, string> Config { get; set; } = new(StringComparer.Ordinal);

    public bool DisableHealthChecks { get; set; }

    public bool DisableTracing { get; set; }

    public bool DisableMetrics { get; set; }
}
