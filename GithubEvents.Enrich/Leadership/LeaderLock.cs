using System.Data;
using GithubEvents.Enrich.Storage;
using Npgsql;

namespace GithubEvents.Enrich.Leadership;

/// <summary>
/// Leadership among the replicas for one kind of work: the session advisory lock
/// <c>pg_try_advisory_lock(hashtext(name))</c>, held on a connection of its own outside the pool. Disposing it unlocks
/// and closes that connection, so another replica may lead at once; on a pooled connection the lock would stay with the
/// idle connection until Npgsql reset it. The session can end under the leader (a restart, a terminated backend, an
/// idle-session timeout): the leader asks <see cref="IsHeldAsync"/> before each pass.
/// </summary>
public sealed class LeaderLock : IAsyncDisposable
{
    private const string Lock = "SELECT pg_try_advisory_lock(hashtext(@name))";
    private const string Unlock = "SELECT pg_advisory_unlock(hashtext(@name))";

    // pg_locks shows a bigint advisory key in two halves: classid the high 32 bits, objid the low ones, objsubid 1.
    private const string Held =
        """
        SELECT EXISTS (
            SELECT FROM pg_locks
            WHERE locktype = 'advisory' AND objsubid = 1 AND granted AND pid = pg_backend_pid()
              AND ((classid::bigint << 32) | objid::bigint) = hashtext(@name)::bigint)
        """;

    private readonly NpgsqlConnection _connection;
    private readonly string _name;

    private LeaderLock(NpgsqlConnection connection, string name) => (_connection, _name) = (connection, name);

    /// <summary>The lock, or null while another session holds it.</summary>
    public static async Task<LeaderLock?> TryAcquireAsync(WriterDataSource writer, string name, CancellationToken cancellationToken)
    {
        var connection = await writer.Unpooled.OpenConnectionAsync(cancellationToken);
        var locked = false;
        try
        {
            locked = await QueryAsync(connection, Lock, name, cancellationToken);
            return locked ? new LeaderLock(connection, name) : null;
        }
        finally
        {
            if (!locked)
            {
                await connection.DisposeAsync();
            }
        }
    }

    /// <summary>Tries every <paramref name="retryInterval"/> until this replica leads.</summary>
    public static async Task<LeaderLock> AcquireAsync(WriterDataSource writer, string name, TimeSpan retryInterval, TimeProvider time, CancellationToken cancellationToken)
    {
        LeaderLock? leader;
        while ((leader = await TryAcquireAsync(writer, name, cancellationToken)) is null)
        {
            await Task.Delay(retryInterval, time, cancellationToken);
        }

        return leader;
    }

    /// <summary>False once the session has ended or no longer holds the lock: the work must stop and the lock be acquired again.</summary>
    public async Task<bool> IsHeldAsync(CancellationToken cancellationToken)
    {
        if (_connection.State != ConnectionState.Open)
        {
            return false;
        }

        try
        {
            return await QueryAsync(_connection, Held, _name, cancellationToken);
        }
        catch (NpgsqlException) when (_connection.State != ConnectionState.Open)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_connection.State == ConnectionState.Open)
            {
                await QueryAsync(_connection, Unlock, _name, CancellationToken.None);
            }
        }
        catch (NpgsqlException)
        {
            // The session is gone (a restarted server, say), and the lock went with it.
        }
        finally
        {
            await _connection.DisposeAsync();
        }
    }

    private static async Task<bool> QueryAsync(NpgsqlConnection connection, string sql, string name, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("name", name);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}
