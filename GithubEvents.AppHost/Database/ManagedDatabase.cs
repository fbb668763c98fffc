namespace Aspire.Hosting;

/// <summary>
/// A database the AppHost runs, in a container or on this machine: the passwords of its reader and writer roles, which
/// Enrich keeps in step.
/// </summary>
public sealed record ManagedDatabase(IResourceBuilder<ParameterResource> ReaderPassword, IResourceBuilder<ParameterResource> WriterPassword);
