namespace GithubEvents.Enrich.Storage;

/// <summary>
/// With <c>Database:ApplySchema=false</c>, the database's schema is older than this Enrich's: the migrations, which
/// another login applies, have not run. Enrich does not start on it.
/// </summary>
public sealed class SchemaNotAppliedException(string message) : Exception(message);
