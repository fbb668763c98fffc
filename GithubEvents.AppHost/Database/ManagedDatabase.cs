namespace Aspire.Hosting;

/// <summary>
/// A database the AppHost runs, in a container or on this machine: the passwords of its reader and writer roles, which
/// Enrich keeps in step, and its container's database resource where it has one (Grafana reads that one).
/// </summary>
public sealed record ManagedDatabase(
    IResourceBuilder<ParameterResource> ReaderPassword,
    IResourceBuilder<ParameterResource> WriterPassword,
    IResourceBuilder<PostgresDatabaseResource>? InContainer);
