namespace GithubEvents.AppHost.Kubernetes;

/// <summary>
/// What a deployed workload serves and what it connects to, as its manifest's values say.
/// </summary>
/// <param name="Resource">The workload's resource.</param>
/// <param name="ServedPorts">The ports its Service exposes.</param>
/// <param name="Reaches">The workloads and ports its environment and arguments name (its own included).</param>
/// <param name="ReachesExistingServer">Whether it reads the connection string of a server outside the model.</param>
internal sealed record WorkloadTraffic(IResource Resource, IReadOnlyList<int> ServedPorts, IReadOnlyCollection<(string Resource, int Port)> Reaches, bool ReachesExistingServer);
