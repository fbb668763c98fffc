namespace Aspire.Hosting.ApplicationModel;

/// <summary>
/// A file of a read-only folder the container mounts, which the Kubernetes manifests carry with this content in place of
/// the folder's (as a run mounts a written file over it): a provisioning file with values from the AppHost's settings.
/// </summary>
/// <param name="Target">The file's path in the container, inside the folder's mount target.</param>
/// <param name="Content">What the file holds in the deployment.</param>
public sealed record ReplacedFileAnnotation(string Target, string Content) : IResourceAnnotation;
