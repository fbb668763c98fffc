using GithubEvents.Enrich.Leadership;
using GithubEvents.Enrich.Storage;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace GithubEvents.Tests.Enrich;

/// <summary>The one loop of the work one replica leads: a failed pass of any kind is survived, stopping ends it.</summary>
public sealed class LeaderServiceTests(PostgresServer postgres)
{
    public static TheoryData<string> Failures => ["NpgsqlException", "InvalidOperationException", "HttpRequestException", "NullReferenceException", "TimeoutException"];

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task A_pass_that_throws_is_logged_backed_off_and_followed_by_the_next(string failure)
    {
        await using var database = await EventDatabase.CreateAsync(postgres, SchemaFlavor.Postgres);
        var logs = new LogCapture();
        using var service = new FailingOnce(Exception(failure), database.Readiness, database.WriterDataSource, logs.CreateLogger(nameof(FailingOnce)));

        await service.StartAsync(TestContext.Current.CancellationToken);
        await EnrichPipeline.EventuallyAsync(() => Task.FromResult(service.Passes >= 3), "three passes");
        await service.StopAsync(TestContext.Current.CancellationToken);

        Assert.Equal([1], service.BackOffs);
        var failed = Assert.Single(logs.Entries, entry => entry.Level == LogLevel.Error);
        Assert.Contains("A pass of the test work failed; trying again in", failed.Message);
        Assert.Contains(failure, failed.Exception);
        Assert.True(service.ExecuteTask!.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task Stopping_the_host_ends_a_pass_and_the_service_without_an_error()
    {
        await using var database = await EventDatabase.CreateAsync(postgres, SchemaFlavor.Postgres);
        var logs = new LogCapture();
        using var service = new FailingOnce(null, database.Readiness, database.WriterDataSource, logs.CreateLogger(nameof(FailingOnce)), passWait: Timeout.InfiniteTimeSpan);

        await service.StartAsync(TestContext.Current.CancellationToken);
        await EnrichPipeline.EventuallyAsync(() => Task.FromResult(service.Passes >= 1), "a pass");
        await service.StopAsync(TestContext.Current.CancellationToken);

        Assert.True(service.ExecuteTask!.IsCompletedSuccessfully);
        Assert.DoesNotContain(logs.Entries, entry => entry.Level >= LogLevel.Warning);
    }

    private static Exception Exception(string name) => name switch
    {
        "NpgsqlException" => new NpgsqlException("the database went away"),
        "InvalidOperationException" => new InvalidOperationException("a state nobody expected"),
        "HttpRequestException" => new HttpRequestException("GitHub did not answer"),
        "NullReferenceException" => new NullReferenceException("a bug"),
        _ => new TimeoutException("too slow"),
    };

    /// <summary>Throws <paramref name="failure"/> in its first pass, then counts passes.</summary>
    private sealed class FailingOnce(Exception? failure, StorageReadiness storage, WriterDataSource writer, ILogger logger, TimeSpan? passWait = null)
        : LeaderService(new LeaderElection(storage, writer, TimeProvider.System), "the test work", "github-events:test-leader-service", logger)
    {
        private int _passes;

        public int Passes => Volatile.Read(ref _passes);

        public List<int> BackOffs { get; } = [];

        protected override TimeSpan AcquireInterval => TimeSpan.FromMilliseconds(50);

        protected override async Task<TimeSpan> RunPassAsync(CancellationToken cancellationToken)
        {
            await Task.Yield();
            if (Interlocked.Increment(ref _passes) == 1 && failure is not null)
            {
                throw failure;
            }

            return passWait ?? TimeSpan.FromMilliseconds(10);
        }

        protected override TimeSpan BackOff(int failures)
        {
            BackOffs.Add(failures);
            return TimeSpan.FromMilliseconds(10);
        }
    }
}
