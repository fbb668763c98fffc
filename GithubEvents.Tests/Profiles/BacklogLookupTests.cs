using System.Text.Json;
using GithubEvents.Enrich.Storage;

namespace GithubEvents.Tests.Profiles;

/// <summary>The actors of older rows (a backfilled hour): looked up from actor_backlog after the recent ones, within their share, and their rows filled.</summary>
public sealed class BacklogLookupTests(PostgresServer postgres, ITestOutputHelper output)
{
    private static readonly string[] Places = ["Berlin, Germany", "San Francisco, CA", "Beijing", "Remote", "Paris", "Bangalore, India", "São Paulo"];

    [Theory]
    [MemberData(nameof(StoragePaths.Both), MemberType = typeof(StoragePaths))]
    public async Task A_backfilled_hour_of_the_archive_sample_gets_the_countries_the_live_path_gives_the_same_actors(SchemaFlavor path)
    {
        var live = await CountryShareAsync(path, TimeSpan.FromMinutes(1));
        var backfilled = await CountryShareAsync(path, TimeSpan.FromDays(3));

        output.WriteLine($"Country share of the archive sample's {ArchiveFixture.EventCount} events: live path {live.Share:P1}, backfilled three days old {backfilled.Share:P1} ({backfilled.Queued} actors through the backlog)");
        Assert.Equal(0, live.Queued);
        Assert.True(backfilled.Queued > 300, $"{backfilled.Queued} actors queued");
        Assert.True(live.Share > 0.5, $"live share {live.Share:P1}");
        Assert.InRange(backfilled.Share, live.Share - 0.01, live.Share + 0.01);
    }

    [Fact]
    public async Task A_backfilled_hour_in_a_compressed_chunk_is_filled_too()
    {
        var live = await CountryShareAsync(SchemaFlavor.TimescaleDb, TimeSpan.FromMinutes(1));
        // Within Storage:Retention (5 days): older rows, and their actors' backlog, are the retention jobs' to drop.
        var compressed = await CountryShareAsync(SchemaFlavor.TimescaleDb, TimeSpan.FromDays(3), compress: true);

        output.WriteLine($"Country share: live path {live.Share:P1}, backfilled three days old into compressed chunks {compressed.Share:P1}");
        Assert.Equal(live.Share, compressed.Share, 3);
    }

    [Fact]
    public async Task Recent_actors_come_first_and_the_backlog_spends_no_more_than_its_share_of_each_budget_window()
    {
        var arranged = await ProfileRun.ArrangeAsync(postgres);
        var recent = Enumerable.Range(1, 150).Select(i => ((long)i, $"recent{i}")).ToList();
        var older = Enumerable.Range(1_001, 400).Select(i => ((long)i, $"older{i}")).ToList();
        await ProfileRun.WriteEventsAsync(arranged.Database, recent.Select(a => (a.Item1, a.Item2, 5.0)));
        await ProfileRun.WriteEventsAsync(arranged.Database, older.Select(a => (a.Item1, a.Item2, 3 * 24 * 60.0)));
        foreach (var (id, login) in recent.Concat(older))
        {
            arranged.GitHub.AddGeneratedUser(id, login, location: "Paris");
        }

        // 0.0005 of the lookups' 90% of 5,000 points: two requests of 100 actors an hour.
        await using var run = await ProfileRun.StartAsync(arranged, settings: new Dictionary<string, string?> { ["Profiles:BacklogBudgetShare"] = "0.0005" });

        // The resolver goes idle (Profiles:IdleInterval): the backlog's share of this window is spent.
        while (await run.Time.NextWaitAsync() != TimeSpan.FromMinutes(1))
        {
        }

        Assert.Equal(350, await run.CountAsync("SELECT count(*) FROM actors"));
        Assert.Equal(200, await run.CountAsync("SELECT count(*) FROM actors WHERE login LIKE 'older%'"));
        Assert.All(FakeGitHub.GraphQLLogins(run.GraphQLRequests[0]), login => Assert.StartsWith("recent", login));

        // The next window grants the rest.
        run.Time.Advance(TimeSpan.FromMinutes(61));
        await EnrichPipeline.EventuallyAsync(async () => await run.CountAsync("SELECT count(*) FROM actors") == 550, "the rest of the backlog in the next window");
    }

    private async Task<(double Share, long Queued)> CountryShareAsync(SchemaFlavor path, TimeSpan age, bool compress = false)
    {
        var arranged = await ProfileRun.ArrangeAsync(postgres, path);
        if (compress)
        {
            // The chunks are compressed when this test says, not when the compression policy runs.
            await arranged.Database.HoldJobsAsync();
        }

        await ProfileRun.WriteArchiveSampleAsync(arranged.Database, age);
        if (compress)
        {
            await Sql.ExecuteAsync(arranged.Database.ConnectionString, "SELECT compress_chunk(c) FROM show_chunks('events') AS c");
        }

        var actors = ArchiveFixture.Lines
            .Select(line => JsonDocument.Parse(line).RootElement.GetProperty("actor"))
            .Select(actor => (Id: actor.GetProperty("id").GetInt64(), Login: actor.GetProperty("login").GetString()!))
            .Distinct()
            .ToList();
        foreach (var (actor, i) in actors.Select((actor, i) => (actor, i)))
        {
            arranged.GitHub.AddGeneratedUser(actor.Id, actor.Login, actor.Login.EndsWith("[bot]", StringComparison.Ordinal) ? "Bot" : "User", Places[i % Places.Length]);
        }

        await using var run = await ProfileRun.StartAsync(arranged, places: true, lateFilling: true);
        var queued = await run.CountAsync("SELECT count(*) FROM actor_backlog");
        await EnrichPipeline.EventuallyAsync(async () => await run.CountAsync("SELECT count(*) FROM actors") == actors.Count, "every actor stored");
        // Every row carries its actor's place; the late filling's passes come a Profiles:FillInterval apart.
        await EnrichPipeline.EventuallyAsync(async () =>
        {
            run.Time.Advance(TimeSpan.FromMinutes(1));
            return await run.CountAsync(
                """
                SELECT count(*) FROM events e JOIN actor_enrichment k ON k.id = e.actor_id
                WHERE e.country_code IS DISTINCT FROM k.country_code OR k.location_key IS NOT NULL AND k.country_code IS NULL AND NOT EXISTS (SELECT 1 FROM locations l WHERE l.key = k.location_key)
                """) == 0;
        }, "every row placed");
        Assert.Equal(0, await run.CountAsync("SELECT count(*) FROM actor_backlog WHERE filled_at IS NULL"));
        var share = (double)(await Sql.ScalarAsync(arranged.Database.ConnectionString, "SELECT avg(CASE WHEN country_code IS NOT NULL THEN 1.0 ELSE 0 END)::float8 FROM events"))!;
        return (share, queued);
    }
}
