using GithubEvents.Enrich.Events;
using Npgsql;
using NpgsqlTypes;

namespace GithubEvents.Enrich.Storage;

/// <summary>
/// Writes a batch of events in one transaction: binary COPY into a session-local staging table, then one
/// <c>INSERT ... SELECT ... ON CONFLICT DO NOTHING</c>, so that an event written before (a redelivered message, or
/// the same event from the live feed and the archive) is skipped rather than duplicated. The enrichment columns come
/// in the same statement from what the enrichment already knows of each actor (<c>actor_enrichment</c>): the write
/// path never waits for a lookup, and the rows of actors not known yet are filled in later.
/// </summary>
public sealed class EventWriter(WriterDataSource writer, StorageReadiness storage)
{
    private const string Columns =
        "time, event_id, event_type, actor, actor_id, repo, repo_id, org, detail, location, country, country_code, lat, lng, company, public_repos, is_bot, payload, envelope";

    private const string StagedColumns =
        "time, event_id, event_type, actor, actor_id, repo, repo_id, org, detail, is_bot, payload, envelope";

    private const string CreateStaging =
        $"CREATE TEMP TABLE IF NOT EXISTS events_staging ON COMMIT DELETE ROWS AS SELECT {StagedColumns} FROM events WITH NO DATA";

    private const string Insert =
        $"""
         INSERT INTO events ({Columns})
         SELECT s.time, s.event_id, s.event_type, s.actor, s.actor_id, s.repo, s.repo_id, s.org, s.detail,
                k.location, k.country, k.country_code, k.lat, k.lng, k.company, k.public_repos, s.is_bot OR coalesce(k.is_bot, false),
                s.payload, s.envelope
         FROM events_staging s LEFT JOIN actor_enrichment k ON k.id = s.actor_id AND k.login = s.actor
         ON CONFLICT DO NOTHING RETURNING time
         """;

    // Without TimescaleDB the writer logs the time range it touched, for rollup.refresh() (see 0002_aggregates.postgres.sql).
    private static readonly Dictionary<SchemaFlavor, string> InsertSql = new()
    {
        [SchemaFlavor.TimescaleDb] = $"WITH inserted AS ({Insert}) SELECT count(*) FROM inserted",
        [SchemaFlavor.Postgres] =
            $"""
             WITH inserted AS ({Insert}),
             logged AS (
                 INSERT INTO rollup.invalidations (from_time, to_time)
                 SELECT min(time), max(time) FROM inserted HAVING count(*) > 0)
             SELECT count(*) FROM inserted
             """,
    };

    /// <returns>How many of the rows were new.</returns>
    public async Task<int> WriteAsync(IReadOnlyCollection<EventRow> rows, CancellationToken cancellationToken)
    {
        await using var connection = await writer.DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        await using (var staging = new NpgsqlCommand(CreateStaging, connection, transaction))
        {
            await staging.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var copy = await connection.BeginBinaryImportAsync($"COPY events_staging ({StagedColumns}) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            foreach (var row in rows)
            {
                await copy.StartRowAsync(cancellationToken);
                await copy.WriteAsync(row.Time, NpgsqlDbType.TimestampTz, cancellationToken);
                await copy.WriteAsync(row.EventId, NpgsqlDbType.Bigint, cancellationToken);
                await copy.WriteAsync(row.EventType, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(row.Actor, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(row.ActorId, NpgsqlDbType.Bigint, cancellationToken);
                await WriteNullableAsync(copy, row.Repo, NpgsqlDbType.Text, cancellationToken);
                await WriteNullableAsync(copy, row.RepoId, NpgsqlDbType.Bigint, cancellationToken);
                await WriteNullableAsync(copy, row.Org, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(row.Detail, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(row.IsBot, NpgsqlDbType.Boolean, cancellationToken);
                await copy.WriteAsync(row.Payload, NpgsqlDbType.Jsonb, cancellationToken);
                await copy.WriteAsync(row.Envelope, NpgsqlDbType.Jsonb, cancellationToken);
            }

            await copy.CompleteAsync(cancellationToken);
        }

        await using var insert = new NpgsqlCommand(InsertSql[storage.Flavor], connection, transaction);
        var inserted = (long)(await insert.ExecuteScalarAsync(cancellationToken))!;
        await transaction.CommitAsync(cancellationToken);
        return (int)inserted;
    }

    private static async Task WriteNullableAsync<T>(NpgsqlBinaryImporter copy, T? value, NpgsqlDbType type, CancellationToken cancellationToken)
    {
        if (value is null)
        {
            await copy.WriteNullAsync(cancellationToken);
        }
        else
        {
            await copy.WriteAsync(value, type, cancellationToken);
        }
    }
}
