using System.Text;
using System.Text.Json.Nodes;
using GithubEvents.Tests.Ingest;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace GithubEvents.Tests.Watch;

/// <summary>The watch poller against the fake GitHub's repository and organisation feeds, on simulated time.</summary>
public sealed class WatchPollerTests(KafkaMockCluster kafka)
{
    private static readonly DateTimeOffset Start = StepTimeProvider.DefaultStart;

    [Fact]
    public async Task A_feed_that_turned_over_between_two_polls_counts_a_miss_and_is_polled_again_soon()
    {
        await using var run = await WatchRun.StartAsync(kafka, github => github.Schedule(Burst("o/busy", Start.AddMinutes(1), 400)), new Dictionary<string, string?>
        {
            ["GitHub:Watch:Repositories:0"] = "o/busy",
            ["GitHub:Watch:MaximumInterval"] = "00:10:00",
        });
        using var metrics = new IngestMetrics(run.Host.Services);

        // The first poll finds the feed empty, so the next is the idle pace's, 10 minutes later: 400 events came between.
        await run.RunAsync(TimeSpan.FromMinutes(10.5));

        Assert.Equal(1, metrics["github.watch.misses"]);
        Assert.Equal(1, metrics["github.watch.misses/repos/o/busy/events"]);
        Assert.Equal(300, metrics["github.events.published/watch"]);
        var polls = run.WatchRequests.Where(r => !r.Query.Contains("&page=", StringComparison.Ordinal)).Select(r => r.At).ToList();
        Assert.Equal([Start, Start.AddMinutes(10), Start.AddMinutes(10).AddSeconds(10)], polls.Take(3));
        Assert.Contains(run.Logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("Events of o/busy were missed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_organisation_s_feed_is_polled_and_its_events_published_with_source_watch()
    {
        var events = Burst("acme/tools", Start.AddSeconds(5), 30).Select(e => e with { Org = "acme" }).ToList();
        await using var run = await WatchRun.StartAsync(kafka, github => github.Schedule(events), new Dictionary<string, string?>
        {
            ["GitHub:Watch:Organizations:0"] = "acme",
        });

        await run.RunAsync(TimeSpan.FromMinutes(11));

        var messages = TopicContents.Read(kafka.BootstrapServers, run.Host.RawTopic(), expected: 30);
        Assert.Equal(30, messages.Count);
        Assert.All(messages, m => Assert.Equal("watch", Encoding.UTF8.GetString(m.Message.Headers.GetLastBytes("event.source"))));
        Assert.All(run.WatchRequests, r => Assert.Equal("/orgs/acme/events", r.Path));
    }

    [Fact]
    public async Task The_watch_list_changes_without_a_restart_and_an_invalid_change_keeps_the_list_in_force()
    {
        var file = Path.Combine(Path.GetTempPath(), $"watch-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, WatchList("o/first"), TestContext.Current.CancellationToken);
        try
        {
            await using var run = await WatchRun.StartAsync(kafka, _ => { }, new Dictionary<string, string?>(),
                builder => builder.Configuration.AddJsonFile(file, optional: false, reloadOnChange: true));
            await run.RunAsync(TimeSpan.FromMinutes(1));
            Assert.All(run.WatchRequests, r => Assert.Equal("/repos/o/first/events", r.Path));

            await File.WriteAllTextAsync(file, WatchList("o/first", "o/second"), TestContext.Current.CancellationToken);
            await EnrichPipeline.EventuallyAsync(() => Task.FromResult(run.WatchRequests.Any(r => r.Path == "/repos/o/second/events")), "the added repository polled");

            await File.WriteAllTextAsync(file, WatchList("o/first", "not a repository"), TestContext.Current.CancellationToken);
            await EnrichPipeline.EventuallyAsync(
                () => Task.FromResult(run.Logs.Entries.Any(e => e.Level == LogLevel.Error && e.Message.Contains("'not' is not an owner/name", StringComparison.Ordinal))),
                "the invalid change refused");
            var before = run.WatchRequests.Count;
            await run.RunAsync(TimeSpan.FromMinutes(21));
            var after = run.WatchRequests.Skip(before).Select(r => r.Path).Distinct().Order();
            Assert.Equal(["/repos/o/first/events", "/repos/o/second/events"], after);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData("GitHub:Watch:Repositories:0", "dotnet", "GitHub:Watch:Repositories: 'dotnet' is not an owner/name of a GitHub repository.")]
    [InlineData("GitHub:Watch:Organizations:0", "-acme", "GitHub:Watch:Organizations: '-acme' is not the login of a GitHub organisation.")]
    [InlineData("GitHub:Watch:BudgetShare", "0.85", "GitHub:Watch:BudgetShare (0.85) must be less than GitHub:BudgetShare (0.8), which it is taken from.")]
    public async Task A_watch_setting_GitHub_cannot_have_stops_Ingest_at_start_up_naming_it(string key, string value, string message)
    {
        var settings = new Dictionary<string, string?> { ["GitHub:Watch:Repositories:1"] = "o/r", [key] = value };
        var builder = IngestTestHost.Builder(kafka.BootstrapServers, TimeProvider.System, new LogCapture(), settings);
        builder.AddEventPublishing();
        builder.AddLivePolling();
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains(message, error.Message);
    }

    private static string WatchList(params string[] repositories) =>
        new JsonObject { ["GitHub"] = new JsonObject { ["Watch"] = new JsonObject { ["Repositories"] = new JsonArray([.. repositories.Select(r => JsonValue.Create(r))]) } } }.ToJsonString();

    private static List<ScheduledEvent> Burst(string repo, DateTimeOffset at, int count) =>
        Enumerable.Range(0, count).Select(i => new ScheduledEvent(
            at.AddMilliseconds(i),
            repo,
            null,
            Encoding.UTF8.GetString(TestEvents.Event(96_000_000_000L + i, "PushEvent", at.AddMilliseconds(i).UtcDateTime, $"user{i}", 30_000 + i, repo)),
            OnPublicFeed: false)).ToList();
}
