namespace Aspire.Hosting.ApplicationModel;

/// <summary>
/// Storage that outlives the container in a deployment: a persistent volume claim of <see cref="Size"/>
/// mounted at <see cref="MountPath"/>, which makes the resource a StatefulSet in the Kubernetes manifests.
/// </summary>
/// <param name="MountPath">Where the volume is mounted in the container.</param>
/// <param name="Size">The claim's requested storage, as a Kubernetes quantity (e.g. <c>20Gi</c>).</param>
public sealed record PersistentStorageAnnotation(string MountPath, string Size) : IResourceAnnotation;
