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
    public static IResourceBuilder<T> WithPersistentStorage<T>(this IResourceBuilder<T> builder, string mountPath, string size, long? fileSystemGroup = null)
        where T : ContainerResource
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(mountPath);
        ArgumentException.ThrowIfNullOrWhiteSpace(size);

        return builder.WithAnnotation(new PersistentStorageAnnotation(mountPath, size, fileSystemGroup), ResourceAnnotationMutationBehavior.Replace);
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
