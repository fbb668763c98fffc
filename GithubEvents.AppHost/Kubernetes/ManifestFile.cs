using k8s;

namespace GithubEvents.AppHost.Kubernetes;

/// <summary>One file of the output: its path under the output folder and its documents.</summary>
internal sealed record ManifestFile(string Path, IReadOnlyList<IKubernetesObject> Documents, string? Header = null);
