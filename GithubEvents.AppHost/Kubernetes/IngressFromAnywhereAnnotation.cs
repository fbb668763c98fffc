namespace Aspire.Hosting.ApplicationModel;

/// <summary>
/// A deployed container that people reach (Grafana's UI): its NetworkPolicy lets any source in on the ports it serves.
/// </summary>
public sealed record IngressFromAnywhereAnnotation : IResourceAnnotation;
