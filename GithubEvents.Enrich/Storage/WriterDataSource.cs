using Microsoft.Extensions.Options;
using Npgsql;

namespace GithubEvents.Enrich.Storage;

/// <summary>
/// The connections Enrich writes events with: as the writer role where <c>Database:WriterPassword</c> is set,
/// else as the connection string's own user. Migrations and role setup keep the connection string's data source.
/// </summary>
public sealed class WriterDataSource : IAsyncDisposable
{
    public WriterDataSource(IConfiguration configuration, IOptions<DatabaseOptions> options)
    {
        var roles = options.Value;
        var connectionString = new NpgsqlConnectionStringBuilder(configuration.GetConnectionString(ConnectionName))
        {
            // A batch is staged in a temporary table: room for it in memory rather than in temporary files.
            Options = "-c temp_buffers=64MB",
        };
        if (!string.IsNullOrEmpty(roles.WriterPassword))
        {
            connectionString.Username = roles.WriterRole;
            connectionString.Password = roles.WriterPassword;
        }

        DataSource = NpgsqlDataSource.Create(connectionString);
        Unpooled = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString.ConnectionString) { Pooling = false });
    }

    public const string ConnectionName = "github-events";

    public NpgsqlDataSource DataSource { get; }

    /// <summary>The same connections outside the pool: closing one ends its session, and the session's locks with it.</summary>
    public NpgsqlDataSource Unpooled { get; }

    public async ValueTask DisposeAsync()
    {
        await Unpooled.DisposeAsync();
        await DataSource.DisposeAsync();
    }
}
