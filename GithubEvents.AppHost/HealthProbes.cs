#pragma warning disable ASPIREPROBES001 // Probes are experimental in Aspire 13.6.

namespace Aspire.Hosting;

public static class HealthProbes
{
    /// <summary>
    /// The endpoints ServiceDefaults maps: <c>/alive</c> (the process answers; Enrich's consumer makes progress) for
    /// liveness and <c>/health</c> (Kafka and the database too) for readiness. They are the AppHost's health checks in
    /// run mode and the pods' probes in the Kubernetes manifests. Six failed liveness probes 10 s apart restart a pod:
    /// Enrich's <c>Enrich:StallTimeout</c> already waits out a database blip before <c>/alive</c> fails.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithServiceDefaultsProbes(this IResourceBuilder<ProjectResource> builder) =>
        builder
            .WithHttpProbe(ProbeType.Liveness, "/alive", initialDelaySeconds: 10, periodSeconds: 10, timeoutSeconds: 2, failureThreshold: 6, endpointName: "http")
            .WithHttpProbe(ProbeType.Readiness, "/health", periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3, endpointName: "http");
}
