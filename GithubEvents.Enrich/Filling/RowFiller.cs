using GithubEvents.Enrich.Storage;
using Microsoft.Extensions.Options;
using Npgsql;

namespace GithubEvents.Enrich.Filling;

/// <summary>
/// Fills the recent rows written before their actor's profile or place was known (the write path fills the later ones
/// itself, from the same <c>actor_enrichment</c> view): location, company, public_repos and is_bot from the profile,
/// country, country_code, lat and lng from the place its location was geocoded to. Only rows of the
/// fill window that differ are written, never in a compressed chunk; the rows of <c>actor_backlog</c>'s actors are filled
/// over the range queued instead, whatever their age, compressed chunks included. The aggregates follow: on TimescaleDB
/// the update lands in the continuous aggregates' invalidation log; on plain PostgreSQL the touched 5-minute slices are
/// logged in <c>rollup.invalidations</c>; either way the next refresh recomputes those buckets.
/// </summary>
public sealed class RowFiller(WriterDataSource writer, StorageReadiness storage, FillMetrics metrics, IOptions<FillOptions> options, TimeProvider time)
{
    private static readonly TimeSpan KnownSlice = TimeSpan.FromHours(1);

    // What the enrichment knows of actor k, set on row e; and the test that a row differs from it.
    private const string SetKnown =
        """
        SET location = k.location, company = k.company, public_repos = k.public_repos, is_bot = e.is_bot OR k.is_bot,
                country = k.country, country_code = k.country_code, lat = k.lat, lng = k.lng
        """;

    private const string DiffersFromKnown =
        """
        (e.location, e.company, e.public_repos, e.is_bot, e.country, e.country_code, e.lat, e.lng)
                  IS DISTINCT FROM (k.location, k.company, k.public_repos, e.is_bot OR k.is_bot, k.country, k.country_code, k.lat, k.lng)
        """;

    // Without TimescaleDB the filled 5-minute slices are logged for rollup.refresh().
    private const string Logged =
        """
        , logged AS (
            INSERT INTO rollup.invalidations (from_time, to_time)
            SELECT slice, slice FROM (SELECT DISTINCT rollup.bucket_5m(time) AS slice FROM filled) AS slices)
        """;

    private const string Fill =
        $"""
        WITH known AS (
            SELECT * FROM actor_enrichment
            WHERE (@ids::bigint[] IS NULL OR id = ANY(@ids)) AND (@keys::text[] IS NULL OR location_key = ANY(@keys))
        ),
        filled AS (
            UPDATE events e
            {SetKnown}
            FROM known k
            WHERE e.actor = k.login AND e.actor_id = k.id AND e.time >= @from AND (@to::timestamptz IS NULL OR e.time < @to)
              -- For some actors, only their rows, through the actor index: the join alone reads every row of the window.
              AND (@ids::bigint[] IS NULL AND @keys::text[] IS NULL OR e.actor = ANY(ARRAY(SELECT login FROM known)))
              AND {DiffersFromKnown}
            RETURNING e.time
        )
        """;

    // The backlog's actors whose profile and place are known, with the range of their rows queued (any age) and the
    // version read. Read without a lock: the writer, which queues actors, waits for no fill but its last moment (the mark).
    private const string TakeReady =
        """
        CREATE TEMP TABLE backlog_ready (actor_id bigint, login text, first_time timestamptz, last_time timestamptz, version bigint) ON COMMIT DROP;
        INSERT INTO backlog_ready
        SELECT b.actor_id, a.login, b.first_time, b.last_time, b.version
        FROM actor_backlog b
        JOIN actors a ON a.id = b.actor_id
        LEFT JOIN locations l ON l.key = a.location_key
        WHERE b.filled_at IS NULL AND (a.not_found OR a.location_key IS NULL OR l.key IS NOT NULL)
        ORDER BY b.actor_id
        LIMIT @limit;
        ANALYZE backlog_ready;
        """;

    private const string FillReady =
        $"""
        WITH filled AS (
            UPDATE events e
            {SetKnown}
            FROM backlog_ready r JOIN actor_enrichment k ON k.id = r.actor_id
            WHERE e.actor = k.login AND e.actor_id = k.id AND e.time >= r.first_time AND e.time <= r.last_time
              -- Only these actors' rows, through the actor index, within the ranges' bounds (chunks outside are skipped).
              AND e.actor = ANY(ARRAY(SELECT login FROM backlog_ready))
              AND e.time >= (SELECT min(first_time) FROM backlog_ready) AND e.time <= (SELECT max(last_time) FROM backlog_ready)
              AND {DiffersFromKnown}
            RETURNING e.time
        )
        """;

    // Done, unless the writer queued more of an actor's rows meanwhile (a newer version): those wait for the next pass.
    // In actor order, as the writer queues them, so that the two never deadlock.
    private const string MarkFilled =
        """
        UPDATE actor_backlog b SET filled_at = now()
        FROM (SELECT b.actor_id FROM actor_backlog b JOIN backlog_ready r USING (actor_id, version)
              WHERE b.filled_at IS NULL ORDER BY b.actor_id FOR UPDATE OF b) AS done
        WHERE b.actor_id = done.actor_id
        """;

    private static readonly Dictionary<SchemaFlavor, string> FillSql = new()
    {
        [SchemaFlavor.TimescaleDb] = Fill + "SELECT count(*) FROM filled",
        [SchemaFlavor.Postgres] = Fill + Logged + "SELECT count(*) FROM filled",
    };

    private static readonly Dictionary<SchemaFlavor, string> FillReadySql = new()
    {
        [SchemaFlavor.TimescaleDb] = FillReady + "SELECT count(*) FROM filled",
        [SchemaFlavor.Postgres] = FillReady + Logged + "SELECT count(*) FROM filled",
    };

    /// <summary>Fills the rows of these actors, after their lookup.</summary>
    /// <returns>How many rows changed.</returns>
    public Task<long> FillAsync(long[] actorIds, CancellationToken cancellationToken) =>
        FillAsync(actorIds, null, options.Value.FillWindow, cancellationToken);

    /// <summary>Fills the rows of the actors with these locations, once they are geocoded.</summary>
    public Task<long> FillLocationsAsync(string[] locationKeys, CancellationToken cancellationToken) =>
        FillAsync(null, locationKeys, options.Value.FillWindow, cancellationToken);

    /// <summary>
    /// Fills the rows of every known actor from the last <paramref name="window"/> (at most the fill window), an hour of
    /// rows a statement and a transaction, newest first: the join reads every row of the window, and a day of them at
    /// volume is too long a statement.
    /// </summary>
    public async Task<long> FillKnownAsync(TimeSpan window, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var from = now - (window < options.Value.FillWindow ? window : options.Value.FillWindow);
        long filled = 0;
        // The newest slice has no upper bound: it takes the rows stamped after now too.
        DateTimeOffset? upper = null;
        for (var lower = now - KnownSlice; upper is null || upper > from; upper = lower, lower -= KnownSlice)
        {
            filled += await FillAsync(null, null, Max(from, lower), upper, cancellationToken);
        }

        return filled;
    }

    private Task<long> FillAsync(long[]? actorIds, string[]? locationKeys, TimeSpan window, CancellationToken cancellationToken) =>
        FillAsync(actorIds, locationKeys, time.GetUtcNow() - window, null, cancellationToken);

    private async Task<long> FillAsync(long[]? actorIds, string[]? locationKeys, DateTimeOffset from, DateTimeOffset? to, CancellationToken cancellationToken)
    {
        await using var connection = await writer.DataSource.OpenConnectionAsync(cancellationToken);
        var flavor = storage.Flavor;
        if (flavor == SchemaFlavor.TimescaleDb)
        {
            from = Max(from, await CompressedUntilAsync(connection, cancellationToken));
        }

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await TakeTurnAsync(connection, transaction, cancellationToken);

        await using var command = new NpgsqlCommand(FillSql[flavor], connection, transaction);
        command.Parameters.Add(new NpgsqlParameter("ids", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Bigint) { Value = (object?)actorIds ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("keys", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)locationKeys ?? DBNull.Value });
        command.Parameters.AddWithValue("from", from);
        command.Parameters.Add(new NpgsqlParameter("to", NpgsqlTypes.NpgsqlDbType.TimestampTz) { Value = (object?)to ?? DBNull.Value });
        var filled = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        await transaction.CommitAsync(cancellationToken);
        metrics.Filled(filled);
        return filled;
    }

    /// <summary>
    /// Fills the rows of <c>actor_backlog</c>'s actors whose profile and place are known, in the range queued, of any
    /// age: a backfilled hour in a compressed chunk is decompressed where it changes, and compressed again by the
    /// compression policy. <paramref name="actors"/> at a time.
    /// </summary>
    /// <returns>How many actors were ready, and how many rows changed.</returns>
    public async Task<(long Actors, long Rows)> FillBacklogAsync(int actors, CancellationToken cancellationToken)
    {
        await using var connection = await writer.DataSource.OpenConnectionAsync(cancellationToken);
        var flavor = storage.Flavor;
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await TakeTurnAsync(connection, transaction, cancellationToken);
        if (flavor == SchemaFlavor.TimescaleDb)
        {
            // TimescaleDB refuses a change that decompresses more than 100,000 rows in one transaction, by default.
            await using var unlimited = new NpgsqlCommand("SET LOCAL timescaledb.max_tuples_decompressed_per_dml_transaction = 0", connection, transaction);
            await unlimited.ExecuteNonQueryAsync(cancellationToken);
        }

        long ready;
        await using (var take = new NpgsqlCommand(TakeReady, connection, transaction))
        {
            take.Parameters.AddWithValue("limit", actors);
            ready = await take.ExecuteNonQueryAsync(cancellationToken);
        }

        long filled;
        await using (var fill = new NpgsqlCommand(FillReadySql[flavor], connection, transaction))
        {
            filled = (long)(await fill.ExecuteScalarAsync(cancellationToken))!;
        }

        await using (var mark = new NpgsqlCommand(MarkFilled, connection, transaction))
        {
            await mark.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        metrics.Filled(filled);
        return (ready, filled);
    }

    // Fills of the resolver, the place filling and the late filling, on any replica, update the same rows in
    // different orders: one at a time, so that they queue rather than deadlock.
    private static async Task TakeTurnAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var turn = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtext(@name))", connection, transaction);
        turn.Parameters.AddWithValue("name", AdvisoryLocks.RowFilling);
        await turn.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The end of the newest compressed chunk of events: rows before it are not updated.</summary>
    private static async Task<DateTimeOffset> CompressedUntilAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            SELECT max(range_end) FROM timescaledb_information.chunks
            WHERE hypertable_schema = 'public' AND hypertable_name = 'events' AND is_compressed
            """, connection);
        return await command.ExecuteScalarAsync(cancellationToken) is DateTime end ? new DateTimeOffset(end, TimeSpan.Zero) : DateTimeOffset.MinValue;
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
