namespace Aspire.Hosting.ApplicationModel;

/// <summary>
/// A single Kafka node in KRaft mode, acting as both broker and controller.
/// </summary>
public sealed class KafkaServerResource(string name) : ContainerResource(name), IResourceWithConnectionString
{
    // Host processes (ingest, enrich, the AppHost's health check) connect here.
    internal const string PrimaryEndpointName = "tcp";

    // Other containers (Kafka UI) connect here over the container network.
    internal const string InternalEndpointName = "internal";

    private EndpointReference? _primaryEndpoint;
    private EndpointReference? _internalEndpoint;

    public EndpointReference PrimaryEndpoint => _primaryEndpoint ??= new(this, PrimaryEndpointName);

    public EndpointReference InternalEndpoint => _internalEndpoint ??= new(this, InternalEndpointName);

    /// <summary>How long the broker keeps messages by default (log.retention.ms).</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromHours(48);

    /// <summary>How many bytes a partition keeps by default (log.retention.bytes).</summary>
    public long RetentionBytes { get; set; } = 8L * 1024 * 1024 * 1024;

    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"{PrimaryEndpoint.Property(EndpointProperty.HostAndPort)}");
}
