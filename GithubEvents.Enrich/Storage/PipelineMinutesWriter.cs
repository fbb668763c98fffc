using System.Text.Json;
using GithubEvents.Enrich.Consuming;
using Microsoft.Extensions.Options;
using NpgsqlTypes;

namespace GithubEvents.Enrich.Storage;

/// <summary>
/// Stores Enrich's figures per minute in <c>pipeline_minutes</c>, one row per minute and replica. A minute written
/// again (its first write's answer was lost) gets the new figures, which hold the first ones.
/// </summary>
public sealed class PipelineMinutesWriter(WriterDataSource writer, IOptions<StorageOptions> options)
{
    private const string Upsert =
        """
        INSERT INTO pipeline_minutes AS p (minute, consumer, batches, messages, write_seconds, dead_letters, dead_letters_by_reason,
                                           lag_messages, lag_seconds, lag_by_partition, disk_bytes)
        SELECT * FROM unnest(@minute, @consumer, @batches, @messages, @write_seconds, @dead_letters, @dead_letters_by_reason,
                             @lag_messages, @lag_seconds, @lag_by_partition, @disk_bytes)
        ON CONFLICT (minute, consumer) DO UPDATE
        SET batches = excluded.batches, messages = excluded.messages, write_seconds = excluded.write_seconds,
            dead_letters = excluded.dead_letters, dead_letters_by_reason = excluded.dead_letters_by_reason,
            lag_messages = excluded.lag_messages, lag_seconds = excluded.lag_seconds, lag_by_partition = excluded.lag_by_partition,
            disk_bytes = excluded.disk_bytes
        """;

    public async Task WriteAsync(string consumer, IReadOnlyList<PipelineMinute> minutes, CancellationToken cancellationToken)
    {
        if (minutes.Count == 0)
        {
            return;
        }

        await using var command = writer.DataSource.CreateCommand(Upsert);
        command.CommandTimeout = options.Value.WriteTimeoutSeconds;
        var parameters = command.Parameters;
        parameters.Add(new("minute", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = minutes.Select(m => m.Minute).ToArray() });
        parameters.Add(new("consumer", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = minutes.Select(_ => consumer).ToArray() });
        parameters.Add(new("batches", NpgsqlDbType.Array | NpgsqlDbType.Integer) { Value = minutes.Select(m => m.Batches).ToArray() });
        parameters.Add(new("messages", NpgsqlDbType.Array | NpgsqlDbType.Integer) { Value = minutes.Select(m => m.Messages).ToArray() });
        parameters.Add(new("write_seconds", NpgsqlDbType.Array | NpgsqlDbType.Double) { Value = minutes.Select(m => m.WriteSeconds).ToArray() });
        parameters.Add(new("dead_letters", NpgsqlDbType.Array | NpgsqlDbType.Integer) { Value = minutes.Select(m => m.DeadLetters.Values.Sum()).ToArray() });
        parameters.Add(new("dead_letters_by_reason", NpgsqlDbType.Array | NpgsqlDbType.Jsonb)
        {
            Value = minutes.Select(m => JsonSerializer.Serialize(m.DeadLetters.ToDictionary(), PipelineJson.Default.DictionaryStringInt32)).ToArray(),
        });
        parameters.Add(new("lag_messages", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = minutes.Select(m => m.Lag.Sum(p => p.Messages)).ToArray() });
        parameters.Add(new("lag_seconds", NpgsqlDbType.Array | NpgsqlDbType.Double)
        {
            Value = minutes.Select(m => m.Lag.Where(p => p.Messages > 0).Max(p => p.Seconds) ?? (m.Lag.Any(p => p.Messages > 0) ? null : (double?)0)).ToArray(),
        });
        parameters.Add(new("lag_by_partition", NpgsqlDbType.Array | NpgsqlDbType.Jsonb)
        {
            Value = minutes.Select(m => JsonSerializer.Serialize(m.Lag.ToList(), PipelineJson.Default.ListPartitionLag)).ToArray(),
        });
        parameters.Add(new("disk_bytes", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = minutes.Select(m => m.DiskBytes).ToArray() });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
