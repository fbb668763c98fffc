namespace Aspire.Hosting;

/// <summary>
/// The database the services use, as <see cref="EventDatabaseExtensions.AddEventDatabase"/> placed it: an existing
/// server's, or one the AppHost runs (a TimescaleDB container, or PostgreSQL on this machine), whose login roles Enrich
/// manages.
/// </summary>
public sealed class ServiceDatabase(IResourceBuilder<IResourceWithConnectionString> resource, ManagedDatabase? managed)
{
    /// <summary>What the services reference: the connection string.</summary>
    public IResourceBuilder<IResourceWithConnectionString> Resource { get; } = resource;

    /// <summary>The AppHost's own database and its roles' passwords; null on an existing server.</summary>
    public ManagedDatabase? Managed { get; } = managed;
}
