using GithubEvents.Enrich.Events;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace GithubEvents.Enrich.Storage;

/// <summary>
/// Writes a batch of events in one transaction: binary COPY into a session-local staging table, then one
/// <c>INSERT ... SELECT ... ON CONFLICT DO UPDATE</c>. An event written before (a redelivered message, or the same
/// event from the live feed and the archive) is not duplicated: it gets the bit of the source that delivered it now,
/// when it lacks it, and is left alone (no new row version) when it has it. The enrichment columns come in the same
/// statement from what the enrichment already knows of each actor (<c>actor_enrichment</c>): the write path never
/// waits for a lookup, and the rows of actors not known yet are filled in later; while the lookups are on, those older
/// than their activity window (a backfilled hour) are queued in <c>actor_backlog</c> for them (<see cref="ActorBacklogQueueing"/>).
/// E-mail addresses in the payload and the envelope are stored hashed unless <c>Storage:KeepEmailAddresses</c>.
/// </summary>
public sealed class EventWriter(WriterDataSource writer, StorageReadiness storage, ActorBacklogQueueing backlog, IOptions<StorageOptions> options)
{
    private const string Columns =
        "time, event_id, event_type, actor, actor_id, repo, repo_id, org, detail, location, country, country_code, lat, lng, company, public_repos, is_bot, payload, envelope, altered, sources";

    private const string StagedColumns =
        "time, event_id, event_type, actor, actor_id, repo, repo_id, org, detail, is_bot, payload, envelope, altered, sources";

    private const string CreateStaging =
        $"CREATE TEMP TABLE IF NOT EXISTS events_staging ON COMMIT DELETE ROWS AS SELECT {StagedColumns} FROM events WITH NO DATA";

    // An event already in a compressed chunk (an archive hour replayed after its live events were compressed) is
    // checked and marked by decompressing its batch; TimescaleDB refuses more than 100,000 such rows a transaction by
    // default, and a batch it refused would be retried for ever.
    private const string Unlimited = "SET LOCAL timescaledb.max_tuples_decompressed_per_dml_transaction = 0";

    // xmax is 0 on a row version the statement inserted, set on one it updated.
    private const string Written =
        $"""
         written AS (
             INSERT INTO events ({Columns})
             SELECT s.time, s.event_id, s.event_type, s.actor, s.actor_id, s.repo, s.repo_id, s.org, s.detail,
                    k.location, k.country, k.country_code, k.lat, k.lng, k.company, k.public_repos, s.is_bot OR coalesce(k.is_bot, false),
                    s.payload, s.envelope, s.altered, s.sources
             FROM events_staging s LEFT JOIN actor_enrichment k ON k.id = s.actor_id AND k.login = s.actor
             ON CONFLICT (time, event_id) DO UPDATE SET sources = events.sources | excluded.sources
             WHERE events.sources | excluded.sources <> events.sources
             RETURNING time, xmax = 0 AS inserted)
         """;

    // The actors of old rows whose enrichment is not settled: not looked up yet, or their place not geocoded yet.
    private const string Backlog =
        """
        , backlog AS (
            INSERT INTO actor_backlog AS b (actor_id, login, first_time, last_time)
            SELECT s.actor_id, (array_agg(s.actor ORDER BY s.time DESC))[1], min(s.time), max(s.time)
            FROM events_staging s
            WHERE s.time < now() - @activity_window
              AND NOT EXISTS (
                  SELECT 1 FROM actors a LEFT JOIN locations l ON l.key = a.location_key
                  WHERE a.id = s.actor_id AND (a.not_found OR a.location_key IS NULL OR l.key IS NOT NULL))
            GROUP BY s.actor_id
            ORDER BY s.actor_id
            ON CONFLICT (actor_id) DO UPDATE SET
                login = excluded.login,
                first_time = CASE WHEN b.filled_at IS NULL THEN least(b.first_time, excluded.first_time) ELSE excluded.first_time END,
                last_time = CASE WHEN b.filled_at IS NULL THEN greatest(b.last_time, excluded.last_time) ELSE excluded.last_time END,
                queued_at = CASE WHEN b.filled_at IS NULL THEN b.queued_at ELSE now() END,
                filled_at = NULL,
                version = b.version + 1)
        """;

    // Without TimescaleDB the writer logs the time range it touched, for rollup.refresh() (see 0002_aggregates.postgres.sql).
    private const string Logged =
        """
        , logged AS (
            INSERT INTO rollup.invalidations (from_time, to_time)
            SELECT min(time), max(time) FROM written HAVING count(*) > 0)
        """;

    private const string Counted = " SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) FROM written";

    private readonly Dictionary<SchemaFlavor, string> _insert = new()
    {
        [SchemaFlavor.TimescaleDb] = "WITH " + Written + (backlog.Enabled ? Backlog : "") + Counted,
        [SchemaFlavor.Postgres] = "WITH " + Written + (backlog.Enabled ? Backlog : "") + Logged + Counted,
    };

    public async Task<EventWriteOutcome> WriteAsync(IReadOnlyCollection<EventRow> rows, CancellationToken cancellationToken)
    {
        await using var connection = await writer.DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        var timeout = options.Value.WriteTimeoutSeconds;
        var keepEmailAddresses = options.Value.KeepEmailAddresses;
        await using (var staging = new NpgsqlCommand(storage.Flavor == SchemaFlavor.TimescaleDb ? $"{Unlimited}; {CreateStaging}" : CreateStaging, connection, transaction))
        {
            staging.CommandTimeout = timeout;
            await staging.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var copy = await connection.BeginBinaryImportAsync($"COPY events_staging ({StagedColumns}) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            copy.Timeout = options.Value.WriteTimeout;
            foreach (var row in OncePerEvent(rows))
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
                await copy.WriteAsync(keepEmailAddresses ? row.Payload : EmailAddressHashing.Hashed(row.Payload), NpgsqlDbType.Jsonb, cancellationToken);
                await copy.WriteAsync(keepEmailAddresses ? row.Envelope : EmailAddressHashing.Hashed(row.Envelope), NpgsqlDbType.Jsonb, cancellationToken);
                await WriteNullableAsync(copy, row.Altered, NpgsqlDbType.Array | NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(row.Sources, NpgsqlDbType.Smallint, cancellationToken);
            }

            await copy.CompleteAsync(cancellationToken);
        }

        await using var insert = new NpgsqlCommand(_insert[storage.Flavor], connection, transaction) { CommandTimeout = timeout };
        if (backlog.OlderThan is { } olderThan)
        {
            insert.Parameters.AddWithValue("activity_window", olderThan);
        }

        int inserted, marked;
        await using (var reader = await insert.ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            (inserted, marked) = ((int)reader.GetInt64(0), (int)reader.GetInt64(1));
        }

        await transaction.CommitAsync(cancellationToken);
        return new EventWriteOutcome(inserted, marked);
    }

    // ON CONFLICT DO UPDATE may touch a row once a statement: an event twice in a batch (from two sources, or
    // redelivered) is written once, with the sources of both.
    private static IEnumerable<EventRow> OncePerEvent(IReadOnlyCollection<EventRow> rows)
    {
        var seen = new Dictionary<(DateTime, long), EventRow>(rows.Count);
        var repeated = false;
        foreach (var row in rows)
        {
            if (seen.TryGetValue((row.Time, row.EventId), out var first))
            {
                seen[(row.Time, row.EventId)] = first with { Sources = (short)(first.Sources | row.Sources) };
                repeated = true;
            }
            else
            {
                seen.Add((row.Time, row.EventId), row);
            }
        }

        return repeated ? seen.Values : rows;
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
