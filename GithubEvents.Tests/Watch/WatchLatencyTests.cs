using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using GithubEvents.Tests.Ingest;

namespace GithubEvents.Tests.Watch;

/// <summary>
/// How soon a watched repository's events are stored: 20 repositories of mixed activity on the fake GitHub, whose
/// feeds answer <c>X-Poll-Interval: 60</c> as GitHub's do, for 30 simulated minutes, Ingest's pollers publishing to the
/// Kafka mock cluster and Enrich storing into PostgreSQL (its batch window a tenth of the shipped one). An event's latency is the
/// time it became visible in <c>events</c> minus the time it appeared in its feed, both on the simulated clock, which
/// stands still until the pollers sleep again and Enrich has stored what they published; Enrich's batch window runs on
/// it (<see cref="EnrichOnTheClock"/>).
/// </summary>
public sealed class WatchLatencyTests(PostgresServer postgres, KafkaMockCluster kafka, ITestOutputHelper output)
{
    private const double Share = 0.1;
    private const int HourlyLimit = 5000;
    private const string Busiest = "acme/r00";
    private const string Idle = "acme/r19";

    private static readonly DateTimeOffset Start = StepTimeProvider.DefaultStart;
    private static readonly TimeSpan Activity = TimeSpan.FromMinutes(30);
    private static readonly TimeSpan Minute = TimeSpan.FromSeconds(60);

    // Mean seconds between two events of each repository but the busy two and the idle one: four in the minutes, 13
    // quiet ones from every 5 minutes to every 2 hours.
    private static readonly double[] MeanGaps = [30, 60, 120, 180, 300, 420, 600, 600, 900, 900, 1200, 1800, 1800, 2700, 3600, 5400, 7200];

    [Fact]
    public async Task Ninety_five_percent_of_each_watched_repository_s_events_are_stored_within_a_minute_within_the_budget_share()
    {
        var activity = Events(new Random(27));
        var database = await postgres.CreateDatabaseAsync();
        var pipeline = EnrichPipeline.Create(kafka, database);
        using var enrich = new EnrichOnTheClock(pipeline, database);
        await using var run = await WatchRun.StartAsync(kafka, github => github.Schedule(activity), new Dictionary<string, string?>
        {
            ["Kafka:Topics:Raw"] = pipeline.Topic,
            ["Kafka:Topics:Polls"] = pipeline.PollsTopic,
            ["GitHub:Watch:Repositories:0"] = string.Join(",", Enumerable.Range(0, 20).Select(Repo)),
            ["GitHub:Watch:BudgetShare"] = Share.ToString(CultureInfo.InvariantCulture),
            // The live poller at a slow fixed pace: it shares the clock, not the question.
            ["GitHub:PollInterval"] = "00:01:00",
        });
        using var metrics = new IngestMetrics(run.Host.Services);
        await using var replica = await enrich.StartAsync(run);

        await run.RunAsync(Activity + Minute, enrich.CatchUpAsync);

        // Every event published once, as the watch's, and stored.
        var published = TopicContents.Read(kafka.BootstrapServers, run.Host.RawTopic(), expected: activity.Count);
        Assert.Equal(activity.Count, published.Select(m => JsonNode.Parse(m.Message.Value)!["id"]!.GetValue<string>()).Distinct().Count());
        Assert.Equal(activity.Count, published.Count);
        Assert.Equal(0, metrics["github.watch.misses"]);
        Assert.Equal(activity.Count, await pipeline.CountAsync());
        var stored = enrich.StoredAt;
        Assert.DoesNotContain(activity, e => !stored.ContainsKey(Id(e)));

        var latencies = activity.Select(e => (e.Repo, Latency: stored[Id(e)] - e.At)).ToList();
        var perRepo = latencies.GroupBy(l => l.Repo).ToDictionary(g => g.Key, g => P95(g.Select(l => l.Latency)));
        var shown = run.GitHub.FirstShownOnFeeds;
        var requests = run.WatchRequests;
        var costly = requests.Count(r => r.Status != 304);
        output.WriteLine(
            $"{activity.Count} events in {Activity.TotalMinutes} min, stored: p95 {P95(latencies.Select(l => l.Latency)).TotalSeconds:F1} s, " +
            $"worst repository's p95 {perRepo.Values.Max().TotalSeconds:F1} s, max {latencies.Max(l => l.Latency).TotalSeconds:F1} s " +
            $"(taken by Ingest: p95 {P95(activity.Select(e => shown[e.Json] - e.At)).TotalSeconds:F1} s); " +
            $"{requests.Count} watch requests, {requests.Count - costly} 304s, " +
            $"{costly} counted against the budget ({requests.Count(r => r.Query.Contains("&page=", StringComparison.Ordinal))} of them later pages)");
        foreach (var (repo, p95) in perRepo.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"{repo}: {activity.Count(e => e.Repo == repo)} events, p95 {p95.TotalSeconds:F1} s; {requests.Count(r => r.Path == $"/repos/{repo}/events")} requests, {requests.Count(r => r.Path == $"/repos/{repo}/events" && r.Status != 304)} counted");
        }

        Assert.InRange(P95(latencies.Select(l => l.Latency)), TimeSpan.Zero, Minute);
        Assert.All(perRepo, p => Assert.True(p.Value <= Minute, $"{p.Key}: p95 {p.Value.TotalSeconds:F1} s"));

        // Within the share (the run lies within one hourly window), and never refused for the budget.
        Assert.InRange(costly, 1, (int)(HourlyLimit * Share));
        Assert.Equal(0, run.GitHub.SpentBudgetRefusals);

        // The busiest feed's burst took more than one page; the idle feed cost its first answer, then asked every minute for a free 304.
        Assert.Contains(requests, r => r.Path == $"/repos/{Busiest}/events" && r.Query.Contains("&page=2", StringComparison.Ordinal));
        var idle = requests.Where(r => r.Path == $"/repos/{Idle}/events").ToList();
        Assert.InRange(idle.Count, (int)Activity.TotalMinutes, (int)Activity.TotalMinutes + 2);
        Assert.Equal([200, .. Enumerable.Repeat(304, idle.Count - 1)], idle.Select(r => r.Status));
    }

    private static long Id(ScheduledEvent e) => long.Parse(JsonNode.Parse(e.Json)!["id"]!.GetValue<string>(), CultureInfo.InvariantCulture);

    // The nearest rank: the smallest latency that 95% of the events do not exceed.
    private static TimeSpan P95(IEnumerable<TimeSpan> latencies)
    {
        var sorted = latencies.Order().ToList();
        return sorted[(int)Math.Ceiling(0.95 * sorted.Count) - 1];
    }

    private static string Repo(int i) => $"acme/r{i:00}";

    // Random arrivals at each repository's rate: r00 three a second and a burst of 150 in 3 s at minute 12 (a mass
    // retagging, say), r01 one and a half a second, r02-r18 at MeanGaps, r19 none.
    private static List<ScheduledEvent> Events(Random random)
    {
        var times = new List<(string Repo, double Second)>();
        void Arrivals(string repo, double meanGap)
        {
            for (var second = -meanGap * Math.Log(1 - random.NextDouble()); second < Activity.TotalSeconds; second += -meanGap * Math.Log(1 - random.NextDouble()))
            {
                times.Add((repo, second));
            }
        }

        Arrivals(Busiest, 1 / 3.0);
        times.AddRange(Enumerable.Range(0, 150).Select(i => (Busiest, 720 + (i * 0.02))));
        Arrivals(Repo(1), 1 / 1.5);
        for (var i = 0; i < MeanGaps.Length; i++)
        {
            Arrivals(Repo(i + 2), MeanGaps[i]);
        }

        // GitHub's ids grow with time.
        return times.OrderBy(t => t.Second).Select((t, i) =>
        {
            var at = Start.AddSeconds(t.Second);
            var json = Encoding.UTF8.GetString(TestEvents.Event(97_000_000_000L + i, "PushEvent", at.UtcDateTime, $"user{i % 500}", 40_000 + (i % 500), t.Repo));
            return new ScheduledEvent(at, t.Repo, null, json, OnPublicFeed: false);
        }).ToList();
    }
}
