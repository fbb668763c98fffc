namespace GithubEvents.Enrich.Restoring;

/// <summary>
/// A row's restored payload, the paths of the members added to it (none when GitHub no longer had the commit or
/// pull request: the row is then marked so and left as it was) and its detail line made again.
/// </summary>
public sealed record RestoredRow(DateTimeOffset Time, long EventId, string? Payload, IReadOnlyList<string> Paths, string? Detail);
