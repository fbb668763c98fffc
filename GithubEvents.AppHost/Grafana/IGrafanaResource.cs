namespace Aspire.Hosting.ApplicationModel;

/// <summary>
/// Grafana however the AppHost runs it: its container (<see cref="GrafanaResource"/>) or a server installed on this
/// machine (<see cref="LocalGrafanaResource"/>). Both take the same provisioning and settings.
/// </summary>
public interface IGrafanaResource : IResourceWithEnvironment, IResourceWithWaitSupport, IResourceWithEndpoints
{
    /// <summary>Grafana's web address.</summary>
    EndpointReference PrimaryEndpoint { get; }
}
