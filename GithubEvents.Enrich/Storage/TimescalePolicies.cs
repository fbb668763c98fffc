using System.Text.Json.Nodes;
using Npgsql;

namespace GithubEvents.Enrich.Storage;

/// <summary>
/// Sets the hypertable's chunk interval and TimescaleDB's background jobs (compression, the retention of events (a job of
/// our own, which keeps what the archive has not exported), of
/// each continuous aggregate and of the other tables, aggregate refresh, the 24 hours' rankings) from
/// <see cref="StorageOptions"/> and <see cref="RetentionOptions"/>, replacing whatever an earlier start-up set.
/// </summary>
public static class TimescalePolicies
{
    public static async Task ApplyAsync(NpgsqlConnection connection, StorageOptions options, RetentionOptions retention, CancellationToken cancellationToken)
    {
        var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                Command("SELECT set_chunk_time_interval('events', @value)", ("value", options.ChunkInterval)),
                Command("SELECT remove_compression_policy('events', if_exists => true)"),
                Command("SELECT add_compression_policy('events', compress_after => @value)", ("value", options.CompressAfter)),
                // The events' retention is a job of our own (Definitions/public.drop_events_job.timescaledb.sql), which keeps the hours
                // the archive has not exported yet; a retention policy of an earlier version is removed.
                Command("SELECT remove_retention_policy('events', if_exists => true)"),
                Command("SELECT delete_job(job_id) FROM timescaledb_information.jobs WHERE proc_name = 'drop_events_job'"),
                Command(
                    "SELECT alter_job(add_job('drop_events_job', @every, config => jsonb_build_object('age', @age::float8), initial_start => now()), max_runtime => @limit)",
                    ("every", options.RetentionInterval), ("age", options.Retention.TotalSeconds), ("limit", options.MaintenanceTimeout)),
            },
        };
        foreach (var (view, keep) in retention.Aggregates(options))
        {
            batch.BatchCommands.Add(Command("SELECT remove_retention_policy(@view::regclass, if_exists => true)", ("view", view)));
            batch.BatchCommands.Add(Command("SELECT add_retention_policy(@view::regclass, drop_after => @keep)", ("view", view), ("keep", keep)));

            // Retention drops whole chunks: each a tenth of the retention, an aggregate keeps at most a tenth more than it.
            batch.BatchCommands.Add(Command(
                """
                SELECT set_chunk_time_interval(format('%I.%I', materialization_hypertable_schema, materialization_hypertable_name)::regclass, @chunk)
                FROM timescaledb_information.continuous_aggregates WHERE view_schema = 'public' AND view_name = @view
                """, ("view", view), ("chunk", keep / 10)));
            batch.BatchCommands.Add(Command("SELECT remove_continuous_aggregate_policy(@view::regclass, if_exists => true)", ("view", view)));
            batch.BatchCommands.Add(Command(
                "SELECT add_continuous_aggregate_policy(@view::regclass, start_offset => @window, end_offset => @lag, schedule_interval => @every, initial_start => now() + @every)",
                ("view", view), ("window", options.EffectiveRefreshWindow), ("lag", options.AggregateRefreshLag), ("every", options.AggregateRefreshInterval)));
        }

        // The rankings of the last 24 hours, read by the dashboard (Definitions/public.refresh_top_24h.sql): the first at once,
        // so that a new or restarted Enrich does not leave them empty or old for a whole interval; one statement, so it has
        // the maintenance's time limit (the refresh policies above work in batches of buckets of their own).
        batch.BatchCommands.Add(Command("SELECT delete_job(job_id) FROM timescaledb_information.jobs WHERE proc_name = 'refresh_top_24h_job'"));
        batch.BatchCommands.Add(Command(
            "SELECT alter_job(add_job('refresh_top_24h_job', @every, initial_start => now()), max_runtime => @limit)",
            ("every", options.RankingRefreshInterval), ("limit", options.MaintenanceTimeout)));

        // The other tables' retention (Definitions/public.drop_expired_rows_job.timescaledb.sql), in slices as without TimescaleDB.
        batch.BatchCommands.Add(Command("SELECT delete_job(job_id) FROM timescaledb_information.jobs WHERE proc_name = 'drop_expired_rows_job'"));
        batch.BatchCommands.Add(Command(
            "SELECT alter_job(add_job('drop_expired_rows_job', @every, config => @config::jsonb, initial_start => now()), max_runtime => @limit)",
            ("every", options.RetentionInterval), ("limit", options.MaintenanceTimeout), ("config", ExpiredRowsJobConfig(options, retention).ToJsonString())));

        await using (batch)
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            batch.Transaction = transaction;
            await batch.ExecuteNonQueryAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
    }

    // In order: a place is dropped once no kept profile names it.
    private static JsonObject ExpiredRowsJobConfig(StorageOptions options, RetentionOptions retention) => new()
    {
        ["max_rows"] = PostgresMaintenance.RetentionRows,
        ["tables"] = new JsonArray([.. retention.Tables(options).Select(table => new JsonArray(table.Table, table.Retention.TotalSeconds))]),
    };

    private static NpgsqlBatchCommand Command(string sql, params (string Name, object Value)[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command;
    }
}
