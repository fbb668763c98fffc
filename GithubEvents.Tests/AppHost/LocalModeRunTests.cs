using System.Globalization;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GithubEvents.Tests.AppHost;

/// <summary>
/// The whole AppHost in local mode, as on a machine without a container runtime: PostgreSQL from the machine's binaries,
/// the development broker in the AppHost, both services, against fakes of GitHub and Nominatim and an OTLP collector.
/// </summary>
public sealed class LocalModeRunTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    private static readonly (long Id, string Login, string? Location)[] Actors =
    [
        (9001, "ada", "Berlin, Germany"),
        (9002, "grace", "Cologne Cathedral, Cologne, Germany"),
        (9003, "linus", "Madison Square Garden"),
        (9004, "renovate[bot]", null),
    ];

    [Fact]
    public async Task Every_polled_event_is_stored_once_enriched_and_traced_from_the_poll_to_the_database()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var github = new FakeGitHub { PollIntervalSeconds = 1 };
        await using var nominatim = FakeNominatim.WithRecordedFixtures();
        await using var collector = new FakeOtlpCollector();
        await github.InitializeAsync();
        await nominatim.InitializeAsync();
        await collector.InitializeAsync();
        foreach (var (id, login, location) in Actors)
        {
            github.AddGeneratedUser(id, login, login.EndsWith("[bot]", StringComparison.Ordinal) ? "Bot" : "User", location);
        }

        github.SetEvents(Events(0, 30));
        // Not CreateTempSubdirectory: its folder is the test's user's alone, and the server may run as postgres.
        var folder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"github-events-local-{Guid.NewGuid():N}"));
        try
        {
            var appHost = await DistributedApplicationTestingBuilder.CreateAsync<Projects.GithubEvents_AppHost>(
            [
                "--AppHost:Mode=Local",
                $"--Local:DataDirectory={Path.Combine(folder.FullName, "postgres")}",
                "--Parameters:github-token=test-token-not-a-real-one",
                "--Parameters:geocoding-user-agent=GithubEvents.Tests/1.0 (github-events-tests@example.org)",
            ], cancellationToken);
            appHost.Services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
            foreach (var service in new[] { "ingest", "enrich" })
            {
                appHost.CreateResourceBuilder<ProjectResource>(service)
                    .WithEnvironment("GitHub__ApiUrl", github.BaseAddress.ToString())
                    .WithEnvironment("OTEL_EXPORTER_OTLP_ENDPOINT", collector.BaseAddress.ToString().TrimEnd('/'))
                    .WithEnvironment("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf")
                    .WithEnvironment("OTEL_BSP_SCHEDULE_DELAY", "500");
            }

            appHost.CreateResourceBuilder<ProjectResource>("enrich")
                .WithEnvironment("Geocoding__NominatimUrl", nominatim.BaseAddress.ToString())
                .WithEnvironment("Profiles__IdleInterval", "00:00:01")
                .WithEnvironment("Storage__AggregateRefreshInterval", "00:00:01")
                .WithEnvironment("Storage__AggregateRefreshLag", "00:00:00")
                .WithEnvironment("Storage__RankingRefreshInterval", "00:00:01");

            await using var app = await appHost.BuildAsync(cancellationToken).WaitAsync(Timeout, cancellationToken);
            await app.StartAsync(cancellationToken).WaitAsync(Timeout, cancellationToken);
            await app.ResourceNotifications.WaitForResourceHealthyAsync("enrich", cancellationToken).WaitAsync(Timeout, cancellationToken);
            await app.ResourceNotifications.WaitForResourceHealthyAsync("ingest", cancellationToken).WaitAsync(Timeout, cancellationToken);
            var database = (await app.GetConnectionStringAsync("github-events", cancellationToken))!;

            // New activity twice: the feed's ETag changes, and the poller reads it again.
            await EventuallyAsync(async () => await CountAsync(database, "SELECT count(*) FROM events") >= 30, "the first 30 events stored");
            github.Publish(Events(30, 30));
            await EventuallyAsync(async () => await CountAsync(database, "SELECT count(*) FROM events") >= 60, "60 events stored");
            github.Publish(Events(60, 30));
            await EventuallyAsync(async () => await CountAsync(database, "SELECT count(*) FROM events") >= 90, "90 events stored");

            Assert.Equal(90, await CountAsync(database, "SELECT count(DISTINCT event_id) FROM events"));
            Assert.Equal(90, await CountAsync(database, "SELECT count(*) FROM events"));
            Assert.Equal(Enumerable.Range(0, 90).Select(Id).Order(), (await Sql.RowsAsync(database, "SELECT event_id FROM events ORDER BY event_id")).Select(row => (long)row[0]!));
            Assert.True(github.Requests.Count(request => request.Path == "/events") >= 3);

            await EventuallyAsync(async () => await CountAsync(database,
                "SELECT count(*) FROM events WHERE actor IN ('ada', 'grace', 'linus') AND (country IS NULL OR public_repos IS NULL)") == 0,
                "the users' rows with a profile and a country");
            Assert.Equal(
                [["ada", "Germany"], ["grace", "Germany"], ["linus", "United States"]],
                await Sql.RowsAsync(database, "SELECT DISTINCT actor, country FROM events WHERE NOT is_bot ORDER BY actor"));
            Assert.Equal(0, await CountAsync(database, "SELECT count(*) FROM events WHERE actor = 'renovate[bot]' AND NOT is_bot"));

            // The README's four queries.
            await EventuallyAsync(async () => await CountAsync(database, "SELECT count(*) FROM v_top_countries_24h") > 0, "the aggregates refreshed and ranked");
            Assert.NotEmpty(await Sql.RowsAsync(database, "SELECT * FROM v_event_rate_1m"));
            Assert.NotEmpty(await Sql.RowsAsync(database, "SELECT country, events FROM v_top_countries_24h LIMIT 10"));
            Assert.NotEmpty(await Sql.RowsAsync(database, "SELECT actor, events FROM v_top_actors_24h LIMIT 10"));
            Assert.Contains(await Sql.RowsAsync(database,
                "SELECT time, actor, event_type, payload->'commits'->0->>'message' AS commit_msg FROM events WHERE event_type = 'PushEvent' ORDER BY time DESC LIMIT 20"),
                row => (string?)row[3] == "Fix the build");

            await EventuallyAsync(() => Task.FromResult(TracedEndToEnd(collector.Spans)), "a poll's trace through Kafka to the database write");
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>
    /// A poll span of Ingest's holds its Kafka sends; Enrich's receive of such a message is a child of its send; the
    /// batch that stored it links to the send, and the batch's database spans are its children.
    /// </summary>
    private static bool TracedEndToEnd(IReadOnlyList<CollectedSpan> spans)
    {
        var sends = spans.Where(span => span.Service == "ingest" && FakeOtlpCollector.IsProducer(span)).ToList();
        var polls = spans.Where(span => span.Service == "ingest" && span.Name == "poll GitHub events").ToDictionary(span => span.SpanId);
        var tracedSends = sends.Where(send => polls.TryGetValue(send.ParentSpanId, out var poll) && poll.TraceId == send.TraceId).ToDictionary(send => send.SpanId);
        var received = spans.Any(span => span.Service == "enrich" && FakeOtlpCollector.IsConsumer(span) && span.Name.EndsWith(" receive", StringComparison.Ordinal)
            && tracedSends.TryGetValue(span.ParentSpanId, out var send) && send.TraceId == span.TraceId);
        var batches = spans.Where(span => span.Service == "enrich" && span.Name.EndsWith(" process", StringComparison.Ordinal)
            && span.Links.Any(link => tracedSends.TryGetValue(link.SpanId, out var send) && send.TraceId == link.TraceId)).ToList();
        var written = batches.Any(batch => spans.Any(span => span.Service == "enrich" && span.ParentSpanId == batch.SpanId && span.TraceId == batch.TraceId));
        return received && written;
    }

    private static long Id(int i) => 70000000000L + i;

    /// <summary>Events <paramref name="from"/> to <paramref name="from"/> + <paramref name="count"/> - 1, newest first, by the actors in turn.</summary>
    private static IEnumerable<string> Events(int from, int count)
    {
        var time = DateTime.UtcNow.AddMinutes(-2).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        return Enumerable.Range(from, count).Reverse().Select(i =>
        {
            var (actorId, login, _) = Actors[i % Actors.Length];
            var (type, payload) = (i % 3) switch
            {
                0 => ("PushEvent", """{"push_id":1,"size":1,"distinct_size":1,"ref":"refs/heads/main","head":"437b1d8e604a352706d890784fff12409083d382","before":"0000000000000000000000000000000000000000","commits":[{"sha":"437b1d8e604a352706d890784fff12409083d382","author":{"email":"a@example.org","name":"A"},"message":"Fix the build","distinct":true,"url":"https://api.github.com/repos/octo/repo/commits/437b1d8e604a352706d890784fff12409083d382"}]}"""),
                1 => ("WatchEvent", """{"action":"started"}"""),
                _ => ("IssuesEvent", """{"action":"opened","issue":{"number":7,"title":"Crash"}}"""),
            };
            return $$"""{"id":"{{Id(i)}}","type":"{{type}}","actor":{"id":{{actorId}},"login":"{{login}}"},"repo":{"id":42,"name":"octo/repo"},"payload":{{payload}},"public":true,"created_at":"{{time}}"}""";
        });
    }

    private static async Task<long> CountAsync(string connectionString, string sql) => (long)(await Sql.ScalarAsync(connectionString, sql))!;

    private static async Task EventuallyAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting for: {what}");
            await Task.Delay(500, TestContext.Current.CancellationToken);
        }
    }
}
