using System.Text.Json;
using GithubEvents.Enrich.Storage;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace GithubEvents.Enrich.Archive;

/// <summary>
/// The archive's reads and records in the database: which hour is next, an hour's events in keyset slices, its
/// fingerprint and capture figures, and <c>archive_exports</c> and <c>archive_state</c>
/// (<c>0024_archive_exports.sql</c>). Each statement is short and has the maintenance's time limit.
/// </summary>
public sealed class ArchiveStore(WriterDataSource writer, IOptions<StorageOptions> storage)
{
    // Definitions/public.archive_fingerprint.sql, which retention compares too (archive_changed_hour). HourFingerprint
    // takes the same of the rows an export reads, to be compared with this once they are written.
    private const string FingerprintSql = "SELECT event_count, fingerprint FROM archive_fingerprint(@from, @to)";

    // The texts of the envelope and of the payload as sent, which make the event as v_raw_events gives it (EventLine), read
    // with the other columns in one pass, as UTF-8; the payload sent is also the stored one, the Parquet column's, unless
    // members were restored since. payload_as_sent, a plpgsql function, is called only for those.
    private const string SliceSql =
        """
        SELECT time, event_id, event_type, actor_id, actor, repo_id, repo, org, payload->>'action', detail, country_code, is_bot, sources,
               restored, envelope::text, (CASE WHEN restored IS NULL THEN payload ELSE payload_as_sent(payload, restored) END)::text,
               CASE WHEN restored IS NOT NULL THEN payload::text END,
               length(detail), location IS NOT NULL, company IS NOT NULL, public_repos IS NOT NULL
        FROM events
        WHERE time >= @from AND time < @to AND (time, event_id) > (@after_time, @after_id)
        ORDER BY time, event_id
        LIMIT @rows
        """;

    /// <summary>
    /// The oldest hour ending by <paramref name="settledBefore"/> that has events and no export, or null.
    /// </summary>
    public async Task<ArchiveHour?> NextHourAsync(DateTime settledBefore, CancellationToken cancellationToken)
    {
        await using var command = Command(
            """
            SELECT h FROM generate_series(
                date_bin(INTERVAL '1 hour', (SELECT min(time) FROM events), TIMESTAMPTZ '2000-01-01 00:00:00+00'),
                @settled - INTERVAL '1 hour', INTERVAL '1 hour') AS h
            WHERE NOT EXISTS (SELECT FROM archive_exports a WHERE a.hour = h)
              AND EXISTS (SELECT FROM events e WHERE e.time >= h AND e.time < h + INTERVAL '1 hour')
            ORDER BY h
            LIMIT 1
            """);
        command.Parameters.AddWithValue("settled", settledBefore);
        return await command.ExecuteScalarAsync(cancellationToken) is DateTime hour ? new ArchiveHour(hour) : null;
    }

    /// <summary>The hour's events and a fingerprint of its rows that changes when they do.</summary>
    public async Task<(long Events, string Fingerprint)> FingerprintAsync(ArchiveHour hour, CancellationToken cancellationToken)
    {
        await using var command = HourCommand(FingerprintSql, hour);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetInt64(0), reader.GetString(1));
    }

    /// <summary>The hour's events ordered by time then id, in slices of at most <paramref name="rows"/>, one statement each.</summary>
    public async IAsyncEnumerable<IReadOnlyList<ArchivedEvent>> ReadAsync(ArchiveHour hour, int rows,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var afterTime = hour.Start.AddTicks(-10);
        var afterId = long.MinValue;
        List<ArchivedEvent> slice;
        do
        {
            slice = new List<ArchivedEvent>(rows);
            await using (var command = HourCommand(SliceSql, hour))
            {
                command.Parameters.AddWithValue("after_time", afterTime);
                command.Parameters.AddWithValue("after_id", afterId);
                command.Parameters.AddWithValue("rows", rows);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    slice.Add(new ArchivedEvent(
                        reader.GetDateTime(0), reader.GetInt64(1), reader.GetString(2), reader.GetInt64(3), reader.GetString(4),
                        reader.IsDBNull(5) ? null : reader.GetInt64(5), reader.IsDBNull(6) ? null : reader.GetString(6),
                        reader.IsDBNull(7) ? null : reader.GetString(7), reader.IsDBNull(8) ? null : reader.GetString(8),
                        reader.GetString(9), reader.IsDBNull(10) ? null : reader.GetString(10), reader.GetBoolean(11), reader.GetInt16(12),
                        reader.IsDBNull(13) ? null : reader.GetFieldValue<string[]>(13), reader.GetFieldValue<byte[]>(14), reader.GetFieldValue<byte[]>(15),
                        reader.IsDBNull(16) ? null : reader.GetFieldValue<byte[]>(16),
                        new HourFingerprint.Part(reader.GetInt32(17), reader.GetBoolean(18), reader.GetBoolean(19), reader.GetBoolean(20))));
                }
            }

            if (slice.Count > 0)
            {
                (afterTime, afterId) = (slice[^1].Time, slice[^1].Id);
                yield return slice;
            }
        }
        while (slice.Count == rows);
    }

    /// <summary>What <c>v_capture_by_hour</c> says of the hour: its capture estimate and what it is known to have lost.</summary>
    public async Task<HourCapture> CaptureAsync(ArchiveHour hour, CancellationToken cancellationToken)
    {
        await using var command = Command(
            """
            SELECT estimated_events, estimate_low, estimate_high, live_share, missed_polls, undelivered_minutes, kafka_gaps, kafka_gap_offsets
            FROM v_capture_by_hour WHERE hour = @from
            """);
        command.Parameters.AddWithValue("from", hour.Start);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return new HourCapture(null, null, null, null, 0, 0, 0, 0);
        }

        return new HourCapture(Double(0), Double(1), Double(2), Double(3), reader.GetInt64(4), reader.GetInt64(5), reader.GetInt64(6), reader.GetInt64(7));

        double? Double(int column) => reader.IsDBNull(column) ? null : reader.GetDouble(column);
    }

    /// <summary>The newest revision of the oldest-checked exported hour from <paramref name="from"/> on not checked since <paramref name="due"/>.</summary>
    public async Task<ExportRecord?> DueForRecheckAsync(DateTime from, DateTime due, CancellationToken cancellationToken)
    {
        await using var command = Command(
            """
            SELECT hour, revision, events, fingerprint, json_sha256, parquet_sha256
            FROM (SELECT DISTINCT ON (hour) * FROM archive_exports WHERE hour >= @from ORDER BY hour, revision DESC) latest
            WHERE checked_at < @due
            ORDER BY checked_at
            LIMIT 1
            """);
        command.Parameters.AddWithValue("from", from);
        command.Parameters.AddWithValue("due", due);
        return await ReadRecordAsync(command, cancellationToken);
    }

    /// <summary>
    /// The newest revision of the oldest exported hour before <paramref name="before"/>, still in the database, whose rows
    /// changed since it was checked (<c>archive_changed_hour</c>), or null: retention keeps it until it is exported again.
    /// </summary>
    public async Task<ExportRecord?> ChangedBeforeAsync(DateTime before, CancellationToken cancellationToken)
    {
        await using var command = Command(
            """
            WITH changed AS MATERIALIZED (SELECT archive_changed_hour(@before) AS hour)
            SELECT a.hour, a.revision, a.events, a.fingerprint, a.json_sha256, a.parquet_sha256
            FROM archive_exports a JOIN changed USING (hour)
            ORDER BY a.revision DESC
            LIMIT 1
            """);
        command.Parameters.AddWithValue("before", before);
        return await ReadRecordAsync(command, cancellationToken);
    }

    /// <summary>Records an export: the commit point, after the manifest is in the archive.</summary>
    public async Task RecordAsync(ExportRecord export, ExportedFiles files, IReadOnlyDictionary<string, object> counts, CancellationToken cancellationToken)
    {
        await using var command = Command(
            """
            INSERT INTO archive_exports (hour, revision, events, counts, fingerprint, json_bytes, json_sha256, parquet_bytes, parquet_sha256,
                                         manifest_bytes, manifest_sha256)
            VALUES (@from, @revision, @events, @counts, @fingerprint, @json_bytes, @json_sha256, @parquet_bytes, @parquet_sha256,
                    @manifest_bytes, @manifest_sha256)
            """);
        command.Parameters.AddWithValue("from", export.Hour.Start);
        command.Parameters.AddWithValue("revision", export.Revision);
        command.Parameters.AddWithValue("events", export.Events);
        command.Parameters.AddWithValue("counts", NpgsqlDbType.Jsonb, JsonSerializer.Serialize(counts));
        command.Parameters.AddWithValue("fingerprint", export.Fingerprint);
        command.Parameters.AddWithValue("json_bytes", files.Json.Bytes);
        command.Parameters.AddWithValue("json_sha256", files.Json.Sha256);
        command.Parameters.AddWithValue("parquet_bytes", files.Parquet.Bytes);
        command.Parameters.AddWithValue("parquet_sha256", files.Parquet.Sha256);
        command.Parameters.AddWithValue("manifest_bytes", files.Manifest.Bytes);
        command.Parameters.AddWithValue("manifest_sha256", files.Manifest.Sha256);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Marks the export as checked now, with the fingerprint its rows have (the same files, when it changed).</summary>
    public async Task CheckedAsync(ExportRecord export, string fingerprint, CancellationToken cancellationToken)
    {
        await using var command = Command("UPDATE archive_exports SET checked_at = now(), fingerprint = @fingerprint WHERE hour = @from AND revision = @revision");
        command.Parameters.AddWithValue("from", export.Hour.Start);
        command.Parameters.AddWithValue("revision", export.Revision);
        command.Parameters.AddWithValue("fingerprint", fingerprint);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// What retention keeps (<c>archive_state</c>, read by <c>archive_hold</c>): the events from <paramref name="keepFrom"/>
    /// on, not archived yet or changed since (null: the archive is off and keeps nothing), <paramref name="heldHours"/> of
    /// them past <c>Storage:Retention</c>; and where the archive is, for the dashboard.
    /// </summary>
    public async Task KeepFromAsync(DateTime? keepFrom, long heldHours, string? location, CancellationToken cancellationToken)
    {
        await using var command = Command(
            "UPDATE archive_state SET keep_from = @keep_from, held_hours = @held_hours, location = @location, updated_at = now()");
        command.Parameters.AddWithValue("keep_from", NpgsqlDbType.TimestampTz, (object?)keepFrom ?? DBNull.Value);
        command.Parameters.AddWithValue("held_hours", heldHours);
        command.Parameters.AddWithValue("location", NpgsqlDbType.Text, (object?)location ?? DBNull.Value);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<ExportRecord?> ReadRecordAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new ExportRecord(new ArchiveHour(reader.GetDateTime(0)), reader.GetInt32(1), reader.GetInt64(2), reader.GetString(3), reader.GetString(4), reader.GetString(5))
            : null;
    }

    private NpgsqlCommand HourCommand(string sql, ArchiveHour hour)
    {
        var command = Command(sql);
        command.Parameters.AddWithValue("from", hour.Start);
        command.Parameters.AddWithValue("to", hour.End);
        return command;
    }

    private NpgsqlCommand Command(string sql)
    {
        var command = writer.DataSource.CreateCommand(sql);
        command.CommandTimeout = (int)Math.Ceiling(storage.Value.MaintenanceTimeout.TotalSeconds);
        return command;
    }
}
