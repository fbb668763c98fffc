using System.Text.Json.Nodes;
using GithubEvents.Enrich.Consuming;
using GithubEvents.Enrich.Events;
using GithubEvents.Enrich.Storage;
using GithubEvents.ServiceDefaults.Kafka;
using Npgsql;

namespace GithubEvents.Tests.Grafana;

/// <summary>
/// The recorded GH Archive sample (800 events of 2021: bursts of 200 in the first seconds of four hours), moved in time so that its newest event is a
/// minute before <see cref="Now"/>, written through Enrich's write path, given countries and companies per actor as
/// the enrichment would, with the aggregates materialised (the newer buckets come from the events at query time) and
/// the last 24 hours ranked, as the refresh does. A third of the events came from the live poller, a third from the
/// archive, a third from both, and the events of the <see cref="WatchedRepositories"/> busiest repositories from
/// their watched feeds too; the poller's figures are there for every minute of the last two hours. Panel queries
/// run as the read-only role Grafana logs in as.
/// </summary>
internal sealed class DashboardDatabase : IAsyncDisposable
{
    private static readonly short[] Sources = [SourceBits.Live, SourceBits.Archive, SourceBits.Live | SourceBits.Archive];

    /// <summary>How many of the sample's busiest repositories are watched.</summary>
    public const int WatchedRepositories = 5;

    private static readonly (string Country, string Code)?[] Places =
        [("Germany", "DE"), ("United States", "US"), ("India", "IN"), ("Brazil", "BR"), ("Japan", "JP"), null, null];

    private readonly EventDatabase _database;
    private readonly string _readerConnectionString;

    private DashboardDatabase(EventDatabase database, string readerConnectionString, DateTime now, IReadOnlyList<StoredEvent> events)
    {
        _database = database;
        _readerConnectionString = readerConnectionString;
        Now = now;
        Events = events;
    }

    public SchemaFlavor Path => _database.Path;

    /// <summary>The dashboard's "now": later than every event.</summary>
    public DateTime Now { get; }

    public IReadOnlyList<StoredEvent> Events { get; }

    public static async Task<DashboardDatabase> CreateAsync(PostgresServer server, SchemaFlavor path)
    {
        var roles = new DatabaseOptions
        {
            ReaderRole = $"grafana_{Guid.NewGuid():N}"[..24],
            ReaderPassword = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12)),
        };
        var database = await EventDatabase.CreateAsync(server, path, roles);

        var now = DateTime.UtcNow;
        var rows = ShiftedSample(now);
        Assert.Equal(ArchiveFixture.EventCount, (await database.Writer.WriteAsync(rows, TestContext.Current.CancellationToken)).Inserted);

        var events = rows.Select(row => Enriched(row)).ToList();
        await FillInPlacesAsync(database, events);
        await WritePollFiguresAsync(database, now);
        await new KafkaGapWriter(database.WriterDataSource, Microsoft.Extensions.Options.Options.Create(database.Storage)).WriteAsync([Gap(now)], TestContext.Current.CancellationToken);
        await database.RefreshAggregatesAsync();

        var reader = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Username = roles.ReaderRole, Password = roles.ReaderPassword }.ConnectionString;
        return new DashboardDatabase(database, reader, now, events);
    }

    /// <summary>Runs a statement as the reader in a read-only transaction, whose <c>now()</c> it reports too.</summary>
    public async Task<PanelResult> QueryAsync(string sql)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var connection = new NpgsqlConnection(_readerConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var readOnly = new NpgsqlCommand("SET TRANSACTION READ ONLY", connection, transaction))
        {
            await readOnly.ExecuteNonQueryAsync(cancellationToken);
        }

        return await PanelResult.ReadAsync(connection, transaction, sql);
    }

    private static List<EventRow> ShiftedSample(DateTime now)
    {
        var events = ArchiveFixture.Lines.Select(line => JsonNode.Parse(line)!.AsObject()).ToList();
        var newest = events.Max(CreatedAt);
        // Whole minutes, so that the sample keeps its seconds and its place within minutes and hours.
        var shift = TimeSpan.FromMinutes(Math.Floor((now - newest).TotalMinutes) - 1);
        var rows = events.Select(json =>
        {
            json["created_at"] = (CreatedAt(json) + shift).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
            return GitHubEventParser.TryParse(System.Text.Encoding.UTF8.GetBytes(json.ToJsonString()), out var row, out var rejection)
                ? row with { Sources = Sources[row.EventId % Sources.Length] }
                : throw new InvalidOperationException(rejection);
        }).ToList();
        var watched = rows.Where(row => row.Repo is not null).GroupBy(row => row.Repo).OrderByDescending(repo => repo.Count()).ThenBy(repo => repo.Key, StringComparer.Ordinal)
            .Take(WatchedRepositories).Select(repo => repo.Key).ToHashSet();
        return rows.Select(row => watched.Contains(row.Repo) ? row with { Sources = (short)(row.Sources | SourceBits.Watch) } : row).ToList();
    }

    private static DateTime CreatedAt(JsonObject json) => json["created_at"]!.GetValue<DateTime>().ToUniversalTime();

    // Bots are never geocoded; people get one of a few countries, or none, and some a company.
    private static StoredEvent Enriched(EventRow row)
    {
        var place = row.IsBot ? null : Places[row.ActorId % Places.Length];
        return new StoredEvent(row.Time, row.EventId, row.EventType, row.Actor, row.ActorId, row.Repo, row.Detail, row.IsBot,
            place?.Country, place?.Code, row.ActorId % 3 == 0 ? "ACME" : null, row.Sources);
    }

    private static async Task FillInPlacesAsync(EventDatabase database, IReadOnlyList<StoredEvent> events)
    {
        var actors = events.DistinctBy(e => e.ActorId).ToList();
        await using var update = database.DataSource.CreateCommand("""
            UPDATE events SET country = a.country, country_code = a.code, company = a.company
            FROM unnest(@ids, @countries, @codes, @companies) AS a(id, country, code, company)
            WHERE events.actor_id = a.id
            """);
        update.Parameters.AddWithValue("ids", actors.Select(e => e.ActorId).ToArray());
        update.Parameters.AddWithValue("countries", actors.Select(e => e.Country).ToArray());
        update.Parameters.AddWithValue("codes", actors.Select(e => e.CountryCode).ToArray());
        update.Parameters.AddWithValue("companies", actors.Select(e => e.Company).ToArray());
        await update.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>
    /// One poller's figures for each of the last 120 minutes as Enrich stores them: minute i (0 the newest) had 3
    /// requests, i % 3 of them 304s, 100 events returned by each 200, 60 of them new, and missed events every tenth minute.
    /// </summary>
    public static (int Polls, int Requests, int Ok, int EventsReturned, int NewEvents, int MissedPolls) Polled(int minutesAgo) =>
        (3, 3, 3 - (minutesAgo % 3), 100 * (3 - (minutesAgo % 3)), 60 * (3 - (minutesAgo % 3)), minutesAgo % 10 == 0 ? 1 : 0);

    /// <summary>500 messages Kafka deleted unread, between one it stamped 3 hours before the load and one 80 minutes before it.</summary>
    public static KafkaGap Gap(DateTime now) => new(EventTopics.Raw, 2, 1000, 1500, now.AddHours(-3), now.AddMinutes(-80));

    private static async Task WritePollFiguresAsync(EventDatabase database, DateTime now)
    {
        var minute = new DateTime(now.Ticks - (now.Ticks % TimeSpan.TicksPerMinute), DateTimeKind.Utc);
        var figures = Enumerable.Range(0, 120).Select(i =>
        {
            var f = Polled(i);
            return new PollFigures(minute.AddMinutes(-i), "ingest-test", f.Polls, f.Requests, f.Ok, f.Requests - f.Ok, 0, f.EventsReturned, f.NewEvents, f.MissedPolls);
        }).ToList();
        await new PollFiguresWriter(database.WriterDataSource, Microsoft.Extensions.Options.Options.Create(database.Storage)).WriteAsync(figures, TestContext.Current.CancellationToken);
    }

    public ValueTask DisposeAsync() => _database.DisposeAsync();
}
