namespace GithubEvents.AppHost.Kubernetes;

/// <summary>
/// The port of each endpoint in the cluster: a container listens on it and its Service exposes the same
/// number, so a connection string and the Service never disagree.
/// </summary>
internal sealed class ServicePorts
{
    // What ASP.NET Core listens on in a container (HTTP_PORTS), the .NET container images' default.
    public const int ProjectHttpPort = 8080;

    /// <summary>
    /// The endpoints a deployed resource serves. A project's HTTPS endpoint is left out: its TLS certificate
    /// is a development one, and TLS ends at the cluster's ingress.
    /// </summary>
    public IReadOnlyList<EndpointAnnotation> Served(IResource resource) =>
        resource.Annotations.OfType<EndpointAnnotation>()
            .Where(e => e.TargetPort is not null || (resource is ProjectResource && e.UriScheme == "http"))
            .ToList();

    public EndpointAnnotation Find(EndpointReference reference) =>
        Served(reference.Resource).SingleOrDefault(e => e.Name == reference.EndpointName)
        ?? throw new DistributedApplicationException(
            $"Endpoint '{reference.EndpointName}' of '{reference.Resource.Name}' is not served in the Kubernetes manifests (only HTTP for projects).");

    public int PortOf(IResource resource, EndpointAnnotation endpoint) =>
        endpoint.TargetPort ?? (resource is ProjectResource ? ProjectHttpPort
            : throw new DistributedApplicationException($"Endpoint '{endpoint.Name}' of '{resource.Name}' has no target port."));
}
