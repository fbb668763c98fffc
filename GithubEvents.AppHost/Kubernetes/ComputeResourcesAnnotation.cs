namespace Aspire.Hosting.ApplicationModel;

/// <summary>
/// CPU and memory a deployed container requests and may use at most, as Kubernetes quantities.
/// </summary>
public sealed record ComputeResourcesAnnotation(string CpuRequest, string MemoryRequest, string CpuLimit, string MemoryLimit) : IResourceAnnotation
{
    /// <summary>What a container gets when its resource declares nothing.</summary>
    public static ComputeResourcesAnnotation Default { get; } = new("100m", "256Mi", "1", "512Mi");
}
