using GithubEvents.Enrich.Archive;
using GithubEvents.Enrich.Events;
using GithubEvents.Enrich.Storage;

namespace GithubEvents.Tests.Archive;

/// <summary>
/// An hour's export is a function of its rows: the same rows give the same bytes, and rows added while the hour is still
/// in the database (a later backfill) give the next revision, with them in it.
/// </summary>
public sealed class ArchiveRevisionTests(PostgresServer postgres)
{
    [Fact]
    public async Task An_unchanged_hour_exported_twice_gives_the_same_bytes()
    {
        await using var run = await ArchiveRun.CreateAsync(postgres, SchemaFlavor.Postgres);
        var hour = new ArchiveHour(ArchiveRun.HoursAgo(2));
        await run.WriteAsync(Enumerable.Range(1, 3_000).Select(i => ((long)i, i % 3 == 0 ? "PushEvent" : "WatchEvent", hour.Start.AddSeconds(i), SourceBits.Live, (System.Text.Json.Nodes.JsonObject?)null)));

        using var first = await run.Exporter.StageAsync(hour, 1, TestContext.Current.CancellationToken);
        using var second = await run.Exporter.StageAsync(hour, 1, TestContext.Current.CancellationToken);

        Assert.NotNull(first);
        Assert.NotNull(second);
        Assert.Equal(3_000, first.Record.Events);
        Assert.Equal(first.Files, second.Files);
        Assert.True(second.SameDataAs(first.Record));
    }

    [Fact]
    public async Task A_later_backfill_of_an_archived_hour_is_archived_as_revision_2_with_its_events()
    {
        await using var run = await ArchiveRun.CreateAsync(postgres, SchemaFlavor.Postgres, options => options.RecheckInterval = TimeSpan.Zero);
        var hour = new ArchiveHour(ArchiveRun.HoursAgo(2));
        await run.WriteAsync(Enumerable.Range(1, 100).Select(i => ((long)i, "WatchEvent", hour.Start.AddSeconds(i), SourceBits.Live, (System.Text.Json.Nodes.JsonObject?)null)));
        await run.ArchiveUntilAsync("SELECT count(*) = 1 FROM archive_exports", "the hour archived");
        var firstSha = (string)(await Sql.ScalarAsync(run.Database.ConnectionString, "SELECT json_sha256 FROM archive_exports WHERE revision = 1"))!;

        // GH Archive's hour, later: half the live events again, and fifty the poller missed.
        await run.WriteAsync(Enumerable.Range(51, 100).Select(i => ((long)i, "WatchEvent", hour.Start.AddSeconds(i), SourceBits.Archive, (System.Text.Json.Nodes.JsonObject?)null)));
        await run.ArchiveUntilAsync("SELECT count(*) = 2 FROM archive_exports", "the hour archived again");

        Assert.Equal(
            [[1, 100L], [2, 150L]],
            await Sql.RowsAsync(run.Database.ConnectionString, "SELECT revision, events FROM archive_exports ORDER BY revision"));
        var lines = run.JsonLines(hour);
        Assert.Equal(150, lines.Count);
        Assert.Contains(lines, line => line.Contains("\"id\": \"150\"", StringComparison.Ordinal));
        var manifest = run.Manifest(hour);
        Assert.Equal(2, (int)manifest["revision"]!);
        Assert.Equal(150, (long)manifest["events"]!);
        Assert.Equal(100, (long)manifest["by_source"]!["live"]!);
        Assert.Equal(100, (long)manifest["by_source"]!["archive"]!);
        Assert.NotEqual(firstSha, (string)manifest["files"]!["json"]!["sha256"]!);
        Assert.Equal(["150"], await ArchiveFilesTests.DuckDbAsync($"SELECT count(*) FROM read_parquet('{run.Root}/parquet/*/*.parquet')"));

        // Nothing changed since: the revision stands however often the hour is checked again.
        await run.ArchiveUntilAsync(
            "SELECT checked_at > exported_at + INTERVAL '1 millisecond' FROM archive_exports WHERE revision = 2", "the revision checked again");
        Assert.Equal(2L, await Sql.ScalarAsync(run.Database.ConnectionString, "SELECT count(*) FROM archive_exports"));
    }
}
