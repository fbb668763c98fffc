using Microsoft.Extensions.Configuration;

namespace Aspire.Hosting;

/// <summary>Where the AppHost runs PostgreSQL on this machine, bound from <c>Local</c>.</summary>
public sealed class LocalPostgresOptions
{
    public const string SectionName = "Local";

    /// <summary>The folder of <c>initdb</c> and <c>postgres</c>; by default found (see <see cref="PostgresBinaries"/>).</summary>
    public string? PostgresBin { get; set; }

    /// <summary>
    /// The cluster's data folder, kept across runs; by default <c>GithubEvents/postgres</c> under the user's local
    /// application data, or <c>/var/lib/github-events/postgres</c> for root (the server then runs as <c>postgres</c>,
    /// which cannot enter root's home).
    /// </summary>
    public string? DataDirectory { get; set; }

    /// <summary>The server's port; by default a free one.</summary>
    public int? PostgresPort { get; set; }

    public string EffectiveDataDirectory => DataDirectory is { Length: > 0 } configured
        ? Path.GetFullPath(configured)
        : LocalAccount.IsRoot
            ? "/var/lib/github-events/postgres"
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "GithubEvents", "postgres");

    /// <summary>A folder of this machine's run beside the cluster's (<c>grafana</c>, <c>archive</c>), whether or not the database is there.</summary>
    public string FolderBeside(string name) => Path.Combine(Path.GetDirectoryName(EffectiveDataDirectory)!, name);

    public static LocalPostgresOptions From(IConfiguration configuration) =>
        configuration.GetSection(SectionName).Get<LocalPostgresOptions>() ?? new LocalPostgresOptions();
}
