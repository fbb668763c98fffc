namespace GithubEvents.Enrich.Storage;

/// <summary>An applied migration's files no longer hold what was applied: Enrich does not start on such a schema.</summary>
public sealed class ChangedMigrationException(string message) : Exception(message);
