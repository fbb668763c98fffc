using GithubEvents.Enrich.Filling;
using GithubEvents.Enrich.Geocoding;
using GithubEvents.Enrich.Profiles;
using GithubEvents.Enrich.Storage;
using GithubEvents.Tests.Profiles;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GithubEvents.Tests.Filling;

/// <summary>Rows written before their actor was known get the profile later, the aggregates follow, and the coverage says so.</summary>
public sealed class LateFillingTests(PostgresServer postgres)
{
    [Theory]
    [MemberData(nameof(StoragePaths.Both), MemberType = typeof(StoragePaths))]
    public async Task Known_profiles_fill_the_rows_of_the_window_and_the_materialised_aggregates_follow(SchemaFlavor path)
    {
        await using var database = await EventDatabase.CreateAsync(postgres, path);
        // Minutes ago: the last one is outside the 24-hour window.
        await ProfileRun.WriteEventsAsync(database, [(1, "alice", 10), (1, "alice", 90), (1, "alice", 23 * 60), (1, "alice", 30 * 60), (2, "bob", 20), (3, "carol", 30), (4, "renovate[bot]", 40)]);
        await database.RefreshAggregatesAsync();
        var store = new ActorStore(database.WriterDataSource);
        await store.SaveAsync(
        [
            new ActorLookup(1, "alice", new GitHubProfile(1, "alice", ActorType.User, "Alice", "ACME", "Berlin", 5, 10, null)),
            new ActorLookup(3, "carol", null),
            new ActorLookup(4, "renovate[bot]", GitHubProfile.Bot(4, "renovate[bot]")),
        ], DateTimeOffset.UtcNow, TestContext.Current.CancellationToken);
        // Berlin as the geocoder stores it.
        await Sql.ExecuteAsync(database.ConnectionString,
            "INSERT INTO locations (key, country, country_code, lat, lng, provider, resolved_at) VALUES ('berlin', 'Germany', 'DE', 52.52, 13.405, 'gazetteer', now())");
        var filler = database.Filler();

        Assert.Equal(3, await filler.FillKnownAsync(TimeSpan.FromDays(1), TestContext.Current.CancellationToken));

        Assert.Equal(
            [["alice", 10.0, "Berlin", "ACME", 5, false, "DE", 52.52], ["alice", 90.0, "Berlin", "ACME", 5, false, "DE", 52.52], ["alice", 1380.0, "Berlin", "ACME", 5, false, "DE", 52.52],
             ["alice", 1800.0, null, null, null, false, null, null], ["bob", 20.0, null, null, null, false, null, null], ["carol", 30.0, null, null, null, false, null, null],
             ["renovate[bot]", 40.0, null, null, null, true, null, null]],
            await Sql.RowsAsync(database.ConnectionString,
                """
                SELECT actor, round(extract(epoch FROM now() - time) / 60)::float8, location, company, public_repos, is_bot, country_code, lat
                FROM events ORDER BY actor, time DESC
                """));
        // Nothing differs any more: a second pass writes nothing.
        Assert.Equal(0, await filler.FillKnownAsync(TimeSpan.FromDays(1), TestContext.Current.CancellationToken));

        await database.RefreshAggregatesAsync();
        Assert.Equal([["ACME", 1L]], await Sql.RowsAsync(database.ConnectionString,
            "SELECT company, event_count FROM actor_stats_1h WHERE actor = 'alice' AND bucket = date_bin(INTERVAL '1 hour', now() - INTERVAL '23 hours', TIMESTAMPTZ '2000-01-01')"));
        Assert.Equal([[null, 1L]], await Sql.RowsAsync(database.ConnectionString,
            "SELECT company, event_count FROM actor_stats_1h WHERE actor = 'alice' AND bucket = date_bin(INTERVAL '1 hour', now() - INTERVAL '30 hours', TIMESTAMPTZ '2000-01-01')"));
        Assert.Equal([["Germany", 1m]], await Sql.RowsAsync(database.ConnectionString,
            "SELECT country, sum(event_count) FROM country_stats_5m WHERE bucket = date_bin(INTERVAL '5 minutes', now() - INTERVAL '23 hours', TIMESTAMPTZ '2000-01-01') GROUP BY country"));
        // The minute aggregate counts the filled rows as having a profile and a country, and the rankings take the place.
        Assert.Equal([[1L, 1L, 1L]], await Sql.RowsAsync(database.ConnectionString,
            "SELECT sum(event_count)::bigint, sum(profile_events)::bigint, sum(country_events)::bigint FROM event_stats_1m WHERE bucket BETWEEN now() - INTERVAL '23 hours 10 minutes' AND now() - INTERVAL '22 hours 50 minutes'"));
        Assert.Equal([["alice", "Germany", "ACME", 3L]], await Sql.RowsAsync(database.ConnectionString,
            "SELECT actor, country, company, events FROM v_top_actors_24h WHERE actor = 'alice'"));
        Assert.Equal([["Germany", "DE", 3L, 1L]], await Sql.RowsAsync(database.ConnectionString, "SELECT * FROM v_top_countries_24h"));
    }

    [Theory]
    [MemberData(nameof(StoragePaths.Both), MemberType = typeof(StoragePaths))]
    public async Task Rows_written_once_their_actor_is_known_carry_its_profile_and_place_from_the_start(SchemaFlavor path)
    {
        await using var database = await EventDatabase.CreateAsync(postgres, path);
        await new ActorStore(database.WriterDataSource).SaveAsync(
        [
            new ActorLookup(1, "alice", new GitHubProfile(1, "alice", ActorType.User, "Alice", "ACME", "Berlin", 5, 10, null)),
            new ActorLookup(2, "bob", new GitHubProfile(2, "bob", ActorType.User, "Bob", null, "Atlantis", 7, 1, null)),
            new ActorLookup(3, "carol", null),
            new ActorLookup(4, "dependabot", new GitHubProfile(4, "dependabot", ActorType.Bot, null, null, null, 0, 0, null)),
        ], DateTimeOffset.UtcNow, TestContext.Current.CancellationToken);
        await Sql.ExecuteAsync(database.ConnectionString,
            "INSERT INTO locations (key, country, country_code, lat, lng, provider, resolved_at) VALUES ('berlin', 'Germany', 'DE', 52.52, 13.405, 'gazetteer', now())");

        // Bob's place is not known yet; carol is gone; "alicia" is a new login of alice's account, not yet looked up.
        await ProfileRun.WriteEventsAsync(database, [(1, "alice", 1), (2, "bob", 2), (3, "carol", 3), (4, "dependabot", 4), (5, "erin", 5), (1, "alicia", 6)]);

        Assert.Equal(
            [["alice", "Berlin", "ACME", 5, false, "Germany", "DE", 52.52, 13.405], ["alicia", null, null, null, false, null, null, null, null],
             ["bob", "Atlantis", null, 7, false, null, null, null, null], ["carol", null, null, null, false, null, null, null, null],
             ["dependabot", null, null, 0, true, null, null, null, null], ["erin", null, null, null, false, null, null, null, null]],
            await Sql.RowsAsync(database.ConnectionString,
                "SELECT actor, location, company, public_repos, is_bot, country, country_code, lat, lng FROM events ORDER BY actor"));
        // Nothing is left for the late filling.
        var filler = database.Filler();
        Assert.Equal(0, await filler.FillKnownAsync(TimeSpan.FromDays(1), TestContext.Current.CancellationToken));
    }

    [Theory]
    [MemberData(nameof(StoragePaths.Both), MemberType = typeof(StoragePaths))]
    public async Task The_writer_role_may_store_profiles_and_fill_rows(SchemaFlavor path)
    {
        var roles = new DatabaseOptions { WriterRole = $"fill_writer_{Guid.NewGuid():N}"[..24], WriterPassword = "writer secret" };
        await using var database = await EventDatabase.CreateAsync(postgres, path, roles);
        await ProfileRun.WriteEventsAsync(database, [(1, "alice", 10), (1, "alice", 5 * 60)]);
        await database.RefreshAggregatesAsync();
        var store = new ActorStore(database.WriterDataSource);
        var filler = database.Filler();

        await store.SaveAsync([new ActorLookup(1, "alice", null)], DateTimeOffset.UtcNow, TestContext.Current.CancellationToken);
        await store.SaveAsync([new ActorLookup(1, "alice", new GitHubProfile(1, "alice", ActorType.User, Location: "Atlantis"))], DateTimeOffset.UtcNow, TestContext.Current.CancellationToken);

        Assert.Equal(2, await filler.FillAsync([1], TestContext.Current.CancellationToken));
        Assert.Equal([("Atlantis", "atlantis")], await new LocationStore(database.WriterDataSource).UnplacedLocationsAsync(retryUnresolved: true, 10, TestContext.Current.CancellationToken));
        Assert.Equal(roles.WriterRole, await Sql.ScalarAsync(
            new Npgsql.NpgsqlConnectionStringBuilder(database.ConnectionString) { Username = roles.WriterRole, Password = roles.WriterPassword }.ConnectionString,
            "SELECT current_user FROM v_enrichment_coverage LIMIT 1"));
    }

    [Fact]
    public async Task Rows_in_compressed_chunks_are_left_alone()
    {
        await using var database = await EventDatabase.CreateAsync(postgres, SchemaFlavor.TimescaleDb);
        await ProfileRun.WriteEventsAsync(database, [(1, "alice", 10), (1, "alice", 3 * 24 * 60)]);
        await Sql.ExecuteAsync(database.ConnectionString, "SELECT compress_chunk(c) FROM show_chunks('events', older_than => now() - INTERVAL '2 days') AS c");
        await new ActorStore(database.WriterDataSource).SaveAsync(
            [new ActorLookup(1, "alice", new GitHubProfile(1, "alice", ActorType.User, Company: "ACME"))], DateTimeOffset.UtcNow, TestContext.Current.CancellationToken);
        var filler = database.Filler(new FillOptions { FillWindow = TimeSpan.FromDays(7) });

        Assert.Equal(1, await filler.FillKnownAsync(TimeSpan.FromDays(7), TestContext.Current.CancellationToken));
        Assert.Equal([["ACME"], [null]], await Sql.RowsAsync(database.ConnectionString, "SELECT company FROM events ORDER BY time DESC"));
    }

    [Fact]
    public async Task One_replica_fills_late_and_another_takes_over_once_it_stops()
    {
        await using var database = await EventDatabase.CreateAsync(postgres, SchemaFlavor.Postgres);
        var (firstTime, secondTime) = (new StepTimeProvider(DateTimeOffset.UtcNow), new StepTimeProvider(DateTimeOffset.UtcNow));
        using var first = new LateFillingReplica(database, firstTime);
        using var second = new LateFillingReplica(database, secondTime);

        await first.Service.StartAsync(TestContext.Current.CancellationToken);
        await EnrichPipeline.EventuallyAsync(() => Task.FromResult(first.Passes == 1), "the first replica's pass");

        // The second replica waits to lead, and asks again every interval.
        await second.Service.StartAsync(TestContext.Current.CancellationToken);
        await secondTime.CompleteNextWaitAsync();
        var wait = await secondTime.NextWaitAsync();
        Assert.Equal(0, second.Passes);

        // The first one stops; its host, and the pool of its connections, stay.
        await first.Service.StopAsync(TestContext.Current.CancellationToken);
        secondTime.Advance(wait);
        await EnrichPipeline.EventuallyAsync(() => Task.FromResult(second.Passes == 1), "the second replica's pass");
        Assert.Equal(1, first.Passes);
        await second.Service.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Late_filling_goes_over_the_whole_window_when_it_takes_the_lead_and_then_over_the_last_two_intervals()
    {
        await using var database = await EventDatabase.CreateAsync(postgres, SchemaFlavor.Postgres);
        // Written before alice was known: three hours and a minute ago.
        await ProfileRun.WriteEventsAsync(database, [(1, "alice", 180), (1, "alice", 1)]);
        await new ActorStore(database.WriterDataSource).SaveAsync(
            [new ActorLookup(1, "alice", new GitHubProfile(1, "alice", ActorType.User, Company: "ACME"))], DateTimeOffset.UtcNow, TestContext.Current.CancellationToken);
        var time = new StepTimeProvider(DateTimeOffset.UtcNow);
        using var replica = new LateFillingReplica(database, time);

        await replica.Service.StartAsync(TestContext.Current.CancellationToken);
        var interval = await time.NextWaitAsync();
        await EnrichPipeline.EventuallyAsync(() => Task.FromResult(replica.Passes == 1), "the first pass");
        Assert.Equal(2, await Sql.ScalarAsync(database.ConnectionString, "SELECT count(*)::int FROM events WHERE company = 'ACME'"));

        // Both rows lose their profile again, as if their writes had raced with the lookup.
        await Sql.ExecuteAsync(database.ConnectionString, "UPDATE events SET company = NULL");
        time.Advance(interval);
        await EnrichPipeline.EventuallyAsync(() => Task.FromResult(replica.Passes == 2), "the second pass");
        Assert.Equal([[1.0, "ACME"], [180.0, null]], await Sql.RowsAsync(database.ConnectionString,
            "SELECT round(extract(epoch FROM now() - time) / 60)::float8, company FROM events ORDER BY time DESC"));
        await replica.Service.StopAsync(TestContext.Current.CancellationToken);
    }

    [Theory]
    [MemberData(nameof(StoragePaths.Both), MemberType = typeof(StoragePaths))]
    public async Task The_coverage_view_gives_the_shares_of_the_last_hour_and_day(SchemaFlavor path)
    {
        await using var database = await EventDatabase.CreateAsync(postgres, path);
        var empty = await Sql.RowsAsync(database.ConnectionString, "SELECT * FROM v_enrichment_coverage");
        Assert.Equal([["1h", 0L, 0.0, 0.0], ["24h", 0L, 0.0, 0.0]], empty);

        await ProfileRun.WriteEventsAsync(database, [(1, "alice", 10), (1, "alice", 90), (2, "bob", 20), (3, "carol", 30), (1, "alice", 23 * 60), (2, "bob", 25 * 60)]);
        await new ActorStore(database.WriterDataSource).SaveAsync(
            [new ActorLookup(1, "alice", new GitHubProfile(1, "alice", ActorType.User, Location: "Berlin")), new ActorLookup(3, "carol", null)],
            DateTimeOffset.UtcNow, TestContext.Current.CancellationToken);
        // As the late filling and the geocoding fill them in: a row counts as having a profile once it carries it.
        Assert.Equal(3, await database.Filler().FillAsync([1, 3], TestContext.Current.CancellationToken));
        await Sql.ExecuteAsync(database.ConnectionString, "UPDATE events SET country = 'Germany', country_code = 'DE' WHERE actor = 'alice'");

        // The last hour: alice, bob and carol (gone); the last day adds two older events of alice's, not bob's of 25 hours ago.
        Assert.Equal([["1h", 3L, 1 / 3.0, 1 / 3.0], ["24h", 5L, 3 / 5.0, 3 / 5.0]], await Sql.RowsAsync(database.ConnectionString, "SELECT * FROM v_enrichment_coverage"));
    }

    /// <summary>Enrich's late filling as the service registers it, in a host of its own that is not started otherwise.</summary>
    private sealed class LateFillingReplica : IDisposable
    {
        private readonly IHost _host;
        private readonly LogCapture _logs = new();

        public LateFillingReplica(EventDatabase database, TimeProvider time)
        {
            var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:kafka"] = "127.0.0.1:9",
                [$"ConnectionStrings:{WriterDataSource.ConnectionName}"] = database.ConnectionString,
            });
            builder.Logging.AddProvider(_logs);
            builder.AddApplicationServices();
            builder.Services.AddSingleton(time);
            _host = builder.Build();
            _host.Services.GetRequiredService<StorageReadiness>().Ready(database.Path);
            Service = ActivatorUtilities.CreateInstance<LateFilling>(_host.Services);
        }

        public LateFilling Service { get; }

        public int Passes => _logs.Entries.Count(log => log.Message.StartsWith("Late filling:", StringComparison.Ordinal));

        public void Dispose()
        {
            Service.Dispose();
            _host.Dispose();
        }
    }
}
