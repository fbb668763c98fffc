namespace Aspire.Hosting.ApplicationModel;

/// <summary>
/// In a deployment, a container that runs to completion in the resource's pod before the resource's own starts: the
/// same image, hardened the same way, with <paramref name="Args"/> and the resource's environment with
/// <paramref name="Environment"/>'s values over it.
/// </summary>
/// <param name="Name">The container's name.</param>
/// <param name="Args">Its arguments.</param>
/// <param name="Environment">What differs from the resource's environment: strings, parameters, connection strings.</param>
public sealed record InitContainerAnnotation(string Name, IReadOnlyList<string> Args, IReadOnlyDictionary<string, object> Environment) : IResourceAnnotation;
