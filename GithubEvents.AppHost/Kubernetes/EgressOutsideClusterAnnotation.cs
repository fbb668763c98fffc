namespace Aspire.Hosting.ApplicationModel;

/// <summary>
/// A deployed container's connections out of the cluster, which its NetworkPolicy allows to any address on these
/// ports (every port when there are none).
/// </summary>
public sealed record EgressOutsideClusterAnnotation(IReadOnlyList<int> Ports) : IResourceAnnotation;
