using GithubEvents.Enrich.Storage;
using GithubEvents.ServiceDefaults;
using Microsoft.Extensions.Options;

namespace GithubEvents.Enrich.Geocoding;

/// <summary>
/// Takes turns at Nominatim with every other replica through the one row of <c>nominatim_pacing</c>. A turn is claimed
/// in a short transaction, committed before the request is sent: it moves <c>next_request_at</c> past the longest the
/// request may take (<c>Geocoding:RequestTimeout</c>) and one interval, so no row lock or transaction stays open while
/// Nominatim answers and no other replica sends meanwhile. Once the reply is in, the next request may follow
/// <c>Geocoding:RequestInterval</c> after it (measured on the database's clock), or the back-off when Nominatim refused
/// it. Waits use the <see cref="TimeProvider"/>; after waiting for a turn, the turn is taken if no other replica took
/// it meanwhile.
/// </summary>
public sealed class NominatimPacing(WriterDataSource writer, IOptions<GeocodingOptions> options, TimeProvider time)
{
    /// <returns>The reply, and how many requests in a row had failed before it (0: Nominatim answered the last one).</returns>
    public async Task<(NominatimReply Reply, int FailuresBefore)> SendAsync(Func<CancellationToken, Task<NominatimReply>> send, CancellationToken cancellationToken)
    {
        var before = await ClaimTurnAsync(cancellationToken);
        var reply = await send(cancellationToken);
        var failures = reply.SlowsThePace ? before + 1 : 0;
        await using var update = writer.DataSource.CreateCommand(
            "UPDATE nominatim_pacing SET next_request_at = clock_timestamp() + @pause, failures = @failures WHERE id = 1");
        update.Parameters.AddWithValue("pause", reply.SlowsThePace ? Backoff(failures, reply.RetryAfter) : options.Value.RequestInterval);
        update.Parameters.AddWithValue("failures", failures);
        await update.ExecuteNonQueryAsync(cancellationToken);
        return (reply, before);
    }

    /// <summary>Waits for a free turn and claims it.</summary>
    /// <returns>How many requests in a row Nominatim refused before this one.</returns>
    private async Task<int> ClaimTurnAsync(CancellationToken cancellationToken)
    {
        double? awaited = null;
        while (true)
        {
            await using var connection = await writer.DataSource.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            double next, now;
            int failures;
            await using (var turn = connection.CreateCommand())
            {
                turn.CommandText = """
                    SELECT extract(epoch FROM next_request_at)::float8, extract(epoch FROM clock_timestamp())::float8, failures
                    FROM nominatim_pacing WHERE id = 1 FOR UPDATE
                    """;
                await using var reader = await turn.ExecuteReaderAsync(cancellationToken);
                await reader.ReadAsync(cancellationToken);
                (next, now, failures) = (reader.GetDouble(0), reader.GetDouble(1), reader.GetInt32(2));
            }

            if (now < next && next != awaited)
            {
                await transaction.CommitAsync(cancellationToken);
                awaited = next;
                await Task.Delay(TimeSpan.FromSeconds(next - now), time, cancellationToken);
                continue;
            }

            await using (var claim = connection.CreateCommand())
            {
                claim.CommandText = "UPDATE nominatim_pacing SET next_request_at = clock_timestamp() + @lease WHERE id = 1";
                claim.Parameters.AddWithValue("lease", options.Value.RequestTimeout + options.Value.RequestInterval);
                await claim.ExecuteNonQueryAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            return failures;
        }
    }

    private TimeSpan Backoff(int failures, TimeSpan? retryAfter)
    {
        var settings = options.Value;
        var backoff = Retries.Exponential(settings.BackoffDelay, settings.MaxBackoffDelay, failures);
        return retryAfter > backoff ? retryAfter.Value : backoff;
    }
}
