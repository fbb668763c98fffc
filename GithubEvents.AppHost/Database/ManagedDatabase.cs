namespace Aspire.Hosting;

/// <summary>A database the AppHost runs: the database resource and the passwords of its reader and writer roles.</summary>
public sealed record ManagedDatabase(
    IResourceBuilder<PostgresDatabaseResource> Database,
    IResourceBuilder<ParameterResource> ReaderPassword,
    IResourceBuilder<ParameterResource> WriterPassword);
