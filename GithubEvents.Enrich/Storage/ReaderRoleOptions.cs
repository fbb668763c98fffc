namespace GithubEvents.Enrich.Storage;

/// <summary>
/// The read-only role Grafana logs in as, bound from <c>Database</c>. Without a password the role is left
/// to whoever runs the database (a managed service, say), and Enrich does not touch it.
/// </summary>
public sealed class ReaderRoleOptions
{
    public const string SectionName = "Database";

    [System.ComponentModel.DataAnnotations.RegularExpression("^[a-z_][a-z0-9_]{0,62}$",
        ErrorMessage = "Database:ReaderRole must be a lower-case PostgreSQL identifier.")]
    public string ReaderRole { get; set; } = "grafana_reader";

    public string? ReaderPassword { get; set; }
}
