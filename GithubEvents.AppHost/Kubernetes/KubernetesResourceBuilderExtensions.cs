namespace Aspire.Hosting;

/// <summary>
/// What a resource needs in a deployment beyond what the run-mode model says. Only the Kubernetes
/// publishing step reads these annotations.
/// </summary>
public static class KubernetesResourceBuilderExtensions
{
    /// <summary>
    /// Keeps the data at <paramref name="mountPath"/> on a persistent volume claim in a deployment.
    /// </summary>
    public static IResourceBuilder<T> WithPersistentStorage<T>(this IResourceBuilder<T> builder, string mountPath, string size)
        where T : IResource
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(mountPath);
        ArgumentException.ThrowIfNullOrWhiteSpace(size);

        return builder.WithAnnotation(new PersistentStorageAnnotation(mountPath, size), ResourceAnnotationMutationBehavior.Replace);
    }

    /// <summary>
    /// Runs the deployed container as the image's non-root <paramref name="user"/> and <paramref name="group"/> on a
    /// read-only root filesystem, with an emptyDir volume at each of <paramref name="writablePaths"/>.
    /// </summary>
    public static IResourceBuilder<T> WithPodSecurity<T>(this IResourceBuilder<T> builder, long user, long group, params string[] writablePaths)
        where T : ContainerResource
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(user);
        return builder.WithAnnotation(new PodSecurityAnnotation(user, group, writablePaths), ResourceAnnotationMutationBehavior.Replace);
    }

    /// <summary>
    /// Lets the deployed container connect out of the cluster on <paramref name="ports"/> (on every port when none are
    /// given); its NetworkPolicy denies every other connection it does not make to the model's own resources.
    /// </summary>
    public static IResourceBuilder<T> WithEgressOutsideCluster<T>(this IResourceBuilder<T> builder, params int[] ports)
        where T : IResource
    {
        return builder.WithAnnotation(new EgressOutsideClusterAnnotation(ports), ResourceAnnotationMutationBehavior.Append);
    }

    /// <summary>Lets any source reach the deployed container on the ports it serves (a UI for people).</summary>
    public static IResourceBuilder<T> WithIngressFromAnywhere<T>(this IResourceBuilder<T> builder)
        where T : IResource
    {
        return builder.WithAnnotation(new IngressFromAnywhereAnnotation(), ResourceAnnotationMutationBehavior.Replace);
    }

    /// <summary>
    /// Runs the project's image with <paramref name="args"/> to completion before the project starts in its pod, with
    /// <paramref name="environment"/>'s values over the project's own (<see cref="InitContainerAnnotation"/>).
    /// </summary>
    public static IResourceBuilder<T> WithInitContainer<T>(this IResourceBuilder<T> builder, string name, IReadOnlyList<string> args, IReadOnlyDictionary<string, object> environment)
        where T : ProjectResource
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return builder.WithAnnotation(new InitContainerAnnotation(name, args, environment), ResourceAnnotationMutationBehavior.Append);
    }

    /// <summary>
    /// Sets the CPU and memory a deployed container requests and its limits.
    /// </summary>
    public static IResourceBuilder<T> WithComputeResources<T>(this IResourceBuilder<T> builder, string cpuRequest, string memoryRequest, string cpuLimit, string memoryLimit)
        where T : IResource
    {
        return builder.WithAnnotation(new ComputeResourcesAnnotation(cpuRequest, memoryRequest, cpuLimit, memoryLimit), ResourceAnnotationMutationBehavior.Replace);
    }
}
