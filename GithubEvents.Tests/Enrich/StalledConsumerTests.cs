using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace GithubEvents.Tests.Enrich;

/// <summary>
/// <c>/alive</c> follows the consumer's progress (issue 25, item 3): it fails once messages have waited
/// <c>Enrich:StallTimeout</c> without a batch finished, here while a transaction of the test holds the events table
/// locked, and is healthy again once the batch is stored. Idle, with nothing waiting, is healthy however long it lasts.
/// </summary>
public sealed class StalledConsumerTests(PostgresServer postgres, KafkaMockCluster kafka)
{
    private static readonly TimeSpan StallTimeout = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task A_consumer_with_messages_waiting_and_no_batch_finished_fails_liveness_and_recovers_once_a_batch_is_stored()
    {
        var database = await postgres.CreateDatabaseAsync();
        var pipeline = EnrichPipeline.Create(kafka, database);
        var sample = ArchiveFixture.Events.Select(json => ((string?)null, json)).ToList();
        pipeline.Produce(sample.Take(100));
        await using var replica = await pipeline.StartAsync(settings: new Dictionary<string, string?> { ["Enrich:StallTimeout"] = StallTimeout.ToString() });
        await EnrichPipeline.EventuallyAsync(async () => pipeline.CommittedTotal() == 100, "the first events stored and committed");

        // Idle for twice the timeout: nothing waits, so nothing is stalled.
        await Task.Delay(StallTimeout * 2, TestContext.Current.CancellationToken);
        Assert.Equal(HealthStatus.Healthy, (await replica.CheckLivenessAsync()).Status);

        await using (var locker = new Npgsql.NpgsqlConnection(database))
        {
            await locker.OpenAsync(TestContext.Current.CancellationToken);
            await using var transaction = await locker.BeginTransactionAsync(TestContext.Current.CancellationToken);
            await using (var lockEvents = new Npgsql.NpgsqlCommand("LOCK TABLE events IN ACCESS EXCLUSIVE MODE", locker, transaction))
            {
                await lockEvents.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
            }

            pipeline.Produce(sample.Skip(100));
            await EnrichPipeline.EventuallyAsync(async () => (await replica.CheckLivenessAsync()).Status == HealthStatus.Unhealthy, "/alive failing");
            var stalled = (await replica.CheckLivenessAsync()).Entries["consumer-progress"];
            Assert.StartsWith("No batch finished for ", stalled.Description);
            Assert.Contains($"while messages wait (Enrich:StallTimeout {StallTimeout:c})", stalled.Description);
            Assert.Equal(100, pipeline.CommittedTotal());
            await transaction.RollbackAsync(TestContext.Current.CancellationToken);
        }

        await EnrichPipeline.EventuallyAsync(async () => pipeline.CommittedTotal() == ArchiveFixture.EventCount, "every event committed once the lock is gone");
        await EnrichPipeline.EventuallyAsync(async () => (await replica.CheckLivenessAsync()).Status == HealthStatus.Healthy, "/alive healthy again");
        Assert.Equal(ArchiveFixture.EventCount, await pipeline.CountAsync());
    }
}
