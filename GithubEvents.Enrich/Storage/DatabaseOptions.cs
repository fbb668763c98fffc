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

    /// <summary>The longest a statement of the reader runs before the server cancels it.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00", ErrorMessage = "Database:ReaderStatementTimeout must be between 1 second and 1 hour.")]
    public TimeSpan ReaderStatementTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The reader's sessions at once, across the cluster.</summary>
    [Range(1, 1000, ErrorMessage = "Database:ReaderConnectionLimit must be between 1 and 1000.")]
    public int ReaderConnectionLimit { get; set; } = 20;

    [RegularExpression(Identifier, ErrorMessage = "Database:WriterRole must be a lower-case PostgreSQL identifier.")]
    public string WriterRole { get; set; } = "github_events_writer";

    /// <summary>When set, Enrich keeps the writer role in step with it and writes events as that role.</summary>
    public string? WriterPassword { get; set; }

    /// <summary>
    /// Whether Enrich applies the schema and sets the roles up at start, as the connection string's user (the owner).
    /// False where another login does it before Enrich starts (<c>GithubEvents.Enrich migrate</c>, a deployment's init
    /// container): Enrich then only checks that the schema is current, and runs as the connection string's user.
    /// </summary>
    public bool ApplySchema { get; set; } = true;

    /// <summary>
    /// Without <see cref="ApplySchema"/>, how long Enrich waits at start for the owner's login to bring the schema to its
    /// newest migration (a migration under way, or not yet started) before it stops, saying what to run.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00", ErrorMessage = "Database:SchemaWaitTimeout must be between 0 and 1 hour.")]
    public TimeSpan SchemaWaitTimeout { get; set; } = TimeSpan.FromMinutes(5);
}
