namespace Aspire.Hosting.ApplicationModel;

/// <summary>
/// Storage that outlives the container in a deployment: a persistent volume claim of <see cref="Size"/>
/// mounted at <see cref="MountPath"/>, which makes the resource a StatefulSet in the Kubernetes manifests.
/// </summary>
/// <param name="MountPath">Where the volume is mounted in the container.</param>
/// <param name="Size">The claim's requested storage, as a Kubernetes quantity (e.g. <c>20Gi</c>).</param>
/// <param name="FileSystemGroup">The group that owns the volume, for images that do not run as root.</param>
public sealed record PersistentStorageAnnotation(string MountPath, string Size, long? FileSystemGroup = null) : IResourceAnnotation;
