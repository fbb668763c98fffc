using System.ComponentModel.DataAnnotations;

namespace GithubEvents.Enrich.Storage;

/// <summary>
/// The database's login roles, bound from <c>Database</c>. A role without a password is left to whoever runs the
/// database (a managed service, say): Enrich neither creates nor changes it, and writes with the connection
/// string's own user.
/// </summary>
public sealed class DatabaseOptions
{
    public const string SectionName = "Database";

    private const string Identifier = "^[a-z_][a-z0-9_]{0,62}$";

    [RegularExpression(Identifier, ErrorMessage = "Database:ReaderRole must be a lower-case PostgreSQL identifier.")]
    public string ReaderRole { get; set; } = "grafana_reader";

    public string? ReaderPassword { get; set; }

    [RegularExpression(Identifier, ErrorMessage = "Database:WriterRole must be a lower-case PostgreSQL identifier.")]
    public string WriterRole { get; set; } = "github_events_writer";

    /// <summary>When set, Enrich keeps the writer role in step with it and writes events as that role.</summary>
    public string? WriterPassword { get; set; }
}
