namespace Aspire.Hosting.ApplicationModel;

/// <summary>
/// Grafana, with its datasource and dashboards provisioned from files in the AppHost.
/// </summary>
public sealed class GrafanaResource(string name) : ContainerResource(name), IGrafanaResource
{
    internal const string PrimaryEndpointName = "http";

    /// <summary>The read-only database role the datasource logs in as.</summary>
    public const string ReaderRole = "grafana_reader";

    /// <summary>Where Grafana finds the CA certificate of the database server's, when the connection string names one.</summary>
    public const string RootCertificatePath = "/etc/grafana/database-root.crt";

    private EndpointReference? _primaryEndpoint;

    public EndpointReference PrimaryEndpoint => _primaryEndpoint ??= new(this, PrimaryEndpointName);
}
