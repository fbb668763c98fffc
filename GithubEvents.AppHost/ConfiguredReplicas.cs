using Microsoft.Extensions.Configuration;

namespace Aspire.Hosting;

public static class ConfiguredReplicas
{
    /// <summary>
    /// Runs as many instances as the setting says (1 when unset): locally in run mode, and as the
    /// Deployment's replicas in the Kubernetes manifests.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithReplicasFrom(this IResourceBuilder<ProjectResource> builder, string setting)
    {
        var replicas = builder.ApplicationBuilder.Configuration.GetValue(setting, 1);
        if (replicas < 1)
        {
            throw new DistributedApplicationException($"{setting} must be at least 1 (it is {replicas}).");
        }

        return builder.WithReplicas(replicas);
    }
}
