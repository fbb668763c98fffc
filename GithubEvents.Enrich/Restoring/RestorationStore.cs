using System.Text.Json.Nodes;
using GithubEvents.Enrich.Events;
using GithubEvents.Enrich.Storage;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace GithubEvents.Enrich.Restoring;

/// <summary>
/// The watched repositories' trimmed rows (<c>unrestored_events</c>), the commits and pull requests GitHub answered
/// about (<c>restored_objects</c>), and the rows patched with them (see <c>0013_restoration.sql</c>). Commit authors' e-mail
/// addresses are written hashed to both unless <c>Storage:KeepEmailAddresses</c>.
/// </summary>
public sealed class RestorationStore(WriterDataSource writer, IOptions<StorageOptions> storage)
{
    /// <summary>
    /// Commits and pull requests of the rows since <paramref name="since"/> that GitHub was never asked about; and pull
    /// requests last answered about before the event, whose state the event may have changed. Not found is final.
    /// </summary>
    public async Task<List<RestoreTarget>> PendingAsync(DateTimeOffset since, int limit, CancellationToken cancellationToken)
    {
        await using var command = writer.DataSource.CreateCommand(
            """
            SELECT repo, kind, key FROM unrestored_events u
            WHERE time >= @since AND NOT EXISTS (
                SELECT 1 FROM restored_objects o
                WHERE o.repo = u.repo AND o.kind = u.kind AND o.key = u.key AND (o.value IS NULL OR o.kind = 'commit' OR o.fetched_at >= u.time))
            GROUP BY repo, kind, key
            ORDER BY max(time) DESC
            LIMIT @limit
            """);
        command.Parameters.AddWithValue("since", since);
        command.Parameters.AddWithValue("limit", limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var targets = new List<RestoreTarget>();
        while (await reader.ReadAsync(cancellationToken))
        {
            targets.Add(new RestoreTarget(reader.GetString(0), reader.GetString(1), reader.GetString(2)));
        }

        return targets;
    }

    public async Task SaveAsync(IReadOnlyCollection<RestoredObject> objects, DateTimeOffset fetchedAt, CancellationToken cancellationToken)
    {
        if (objects.Count == 0)
        {
            return;
        }

        await using var command = writer.DataSource.CreateCommand(
            """
            INSERT INTO restored_objects (repo, kind, key, value, fetched_at)
            SELECT repo, kind, key, value::jsonb, @fetched_at FROM unnest(@repo, @kind, @key, @value) AS o (repo, kind, key, value)
            ON CONFLICT (repo, kind, key) DO UPDATE SET value = excluded.value, fetched_at = excluded.fetched_at
            """);
        command.Parameters.AddWithValue("fetched_at", fetchedAt);
        command.Parameters.Add(new NpgsqlParameter("repo", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = objects.Select(o => o.Target.Repo).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("kind", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = objects.Select(o => o.Target.Kind).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("key", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = objects.Select(o => o.Target.Key).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("value", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = objects.Select(o => Stored(o.Value?.ToJsonString())).ToArray() });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Rows since <paramref name="since"/> whose commit or pull request is answered for, with the answer (null: not found).</summary>
    public async Task<List<(RestorableRow Row, JsonObject? Value)>> AnsweredAsync(DateTimeOffset since, int limit, CancellationToken cancellationToken)
    {
        await using var command = writer.DataSource.CreateCommand(
            """
            SELECT u.time, u.event_id, u.event_type, u.payload::text, u.kind, o.value::text
            FROM unrestored_events u
            JOIN restored_objects o ON o.repo = u.repo AND o.kind = u.kind AND o.key = u.key
            WHERE u.time >= @since AND (o.value IS NULL OR o.kind = 'commit' OR o.fetched_at >= u.time)
            LIMIT @limit
            """);
        command.Parameters.AddWithValue("since", since);
        command.Parameters.AddWithValue("limit", limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<(RestorableRow, JsonObject?)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var row = new RestorableRow(reader.GetFieldValue<DateTimeOffset>(0), reader.GetInt64(1), reader.GetString(2), reader.GetString(3), reader.GetString(4));
            rows.Add((row, reader.IsDBNull(5) ? null : JsonNode.Parse(reader.GetString(5))!.AsObject()));
        }

        return rows;
    }

    /// <summary>Writes the restored rows (a row restored meanwhile by another leader is left alone); returns how many were written.</summary>
    public async Task<int> PatchAsync(IReadOnlyCollection<RestoredRow> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return 0;
        }

        await using var command = writer.DataSource.CreateCommand(
            """
            UPDATE events e
            SET payload = coalesce(u.payload::jsonb, e.payload), detail = coalesce(u.detail, e.detail), restored = string_to_array(u.paths, ' ')
            FROM unnest(@time, @event_id, @payload, @paths, @detail) AS u (time, event_id, payload, paths, detail)
            WHERE e.time = u.time AND e.event_id = u.event_id AND e.restored IS NULL
            """);
        command.Parameters.Add(new NpgsqlParameter("time", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = rows.Select(r => r.Time.UtcDateTime).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("event_id", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = rows.Select(r => r.EventId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("payload", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = rows.Select(r => Stored(r.Payload)).ToArray() });
        // Paths are member names joined by dots, never with a space.
        command.Parameters.Add(new NpgsqlParameter("paths", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = rows.Select(r => string.Join(' ', r.Paths)).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("detail", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = rows.Select(r => r.Detail).ToArray() });
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private string? Stored(string? json) => json is null || storage.Value.KeepEmailAddresses ? json : EmailAddressHashing.Hashed(json);
}
