using Npgsql;

namespace GithubEvents.Enrich.Storage;

/// <summary>
/// Without TimescaleDB, records the schedule <see cref="PostgresMaintenance"/> refreshes the rollups on beside their
/// watermark (<c>rollup.watermark</c>), as <see cref="TimescalePolicies"/> does in TimescaleDB's refresh policies, so that
/// <c>v_aggregate_freshness</c> knows how far behind the rollups may be.
/// </summary>
public static class RollupSchedule
{
    public static async Task ApplyAsync(NpgsqlConnection connection, StorageOptions options, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("UPDATE rollup.watermark SET refresh_lag = @lag, refresh_interval = @every", connection);
        command.Parameters.AddWithValue("lag", options.AggregateRefreshLag);
        command.Parameters.AddWithValue("every", options.AggregateRefreshInterval);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
