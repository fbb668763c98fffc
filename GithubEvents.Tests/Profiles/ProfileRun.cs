using System.Text.Json.Nodes;
using GithubEvents.Enrich.Events;
using GithubEvents.Enrich.Filling;
using GithubEvents.Enrich.Geocoding;
using GithubEvents.Enrich.Profiles;
using GithubEvents.Enrich.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace GithubEvents.Tests.Profiles;

/// <summary>
/// Enrich's profile resolver (and, when asked, the geocoding of places) as the service registers it
/// (<c>AddApplicationServices</c>), alone in a host that is not started otherwise, against a test database, a fake
/// GitHub and stepped time.
/// </summary>
internal sealed class ProfileRun : IAsyncDisposable
{
    public const string Token = "test-profile-run-token-0123456789abcdef";

    // Profiles:ActivityWindow, of the resolver and of the writer alike.
    private static readonly TimeSpan ActivityWindow = TimeSpan.FromDays(1);

    private readonly IHost _host;

    private readonly List<IHostedService> _services;

    private ProfileRun(EventDatabase database, FakeGitHub github, StepTimeProvider time, IHost host, LogCapture logs, List<IHostedService> services)
    {
        _services = services;
        Database = database;
        GitHub = github;
        Time = time;
        _host = host;
        Logs = logs;
    }

    public EventDatabase Database { get; }

    public FakeGitHub GitHub { get; }

    public StepTimeProvider Time { get; }

    public LogCapture Logs { get; }

    public IReadOnlyList<RecordedRequest> GraphQLRequests => GitHub.Requests.Where(r => r.Path == "/graphql").ToList();

    public IReadOnlyList<RecordedRequest> RestRequests => GitHub.Requests.Where(r => r.Path.StartsWith("/users/", StringComparison.Ordinal)).ToList();

    /// <summary>A database and a fake GitHub sharing one stepped clock that starts at the real time, as the database's now() does.</summary>
    public static async Task<(EventDatabase Database, FakeGitHub GitHub, StepTimeProvider Time)> ArrangeAsync(PostgresServer postgres, SchemaFlavor path = SchemaFlavor.Postgres)
    {
        var time = new StepTimeProvider(DateTimeOffset.UtcNow);
        var github = new FakeGitHub(time);
        await github.InitializeAsync();
        return (await EventDatabase.CreateAsync(postgres, path), github, time);
    }

    /// <param name="lateFilling">With the late filling too, which fills the backlog's rows; its waits are on the clock as well.</param>
    public static async Task<ProfileRun> StartAsync(
        (EventDatabase Database, FakeGitHub GitHub, StepTimeProvider Time) arranged, bool token = true, IDictionary<string, string?>? settings = null,
        bool places = false, bool lateFilling = false)
    {
        var (database, github, time) = arranged;
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            // The write path is registered but never made or started here.
            ["ConnectionStrings:kafka"] = "127.0.0.1:9",
            [$"ConnectionStrings:{WriterDataSource.ConnectionName}"] = database.ConnectionString,
            ["GitHub:ApiUrl"] = github.BaseAddress.ToString(),
            ["GitHub:Token"] = token ? Token : null,
            ["Profiles:ActivityWindow"] = ActivityWindow.ToString("c", System.Globalization.CultureInfo.InvariantCulture),
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        var logs = new LogCapture();
        builder.Logging.AddProvider(logs).SetMinimumLevel(LogLevel.Trace);
        builder.AddApplicationServices();
        builder.Services.AddSingleton<TimeProvider>(time);
        var host = builder.Build();
        host.Services.GetRequiredService<StorageReadiness>().Ready(database.Path);
        // The resolver alone (its waits are then the only ones on the stepped clock), or with the geocoding of places;
        // made from the host's services without making the write path's.
        List<IHostedService> services = [ActivatorUtilities.CreateInstance<ProfileResolver>(host.Services)];
        if (places)
        {
            services.Add(ActivatorUtilities.CreateInstance<PlaceFilling>(host.Services));
        }

        if (lateFilling)
        {
            services.Add(ActivatorUtilities.CreateInstance<LateFilling>(host.Services));
        }

        foreach (var service in services)
        {
            await service.StartAsync(TestContext.Current.CancellationToken);
        }

        return new ProfileRun(database, github, time, host, logs, services);
    }

    /// <summary>Writes events through the write path's writer: one per (actor id, login, minutes ago).</summary>
    public static async Task WriteEventsAsync(EventDatabase database, IEnumerable<(long ActorId, string Login, double MinutesAgo)> events)
    {
        var now = DateTime.UtcNow;
        var id = await NextEventIdAsync(database);
        var rows = events.Select(e => Parse(TestEvents.Event(id++, "WatchEvent", now.AddMinutes(-e.MinutesAgo), e.Login, e.ActorId, "octo/repo"))).ToList();
        await Writer(database).WriteAsync(rows, TestContext.Current.CancellationToken);
    }

    /// <summary>The recorded GH Archive sample, moved in time so that its newest event is a minute old, or <paramref name="age"/>.</summary>
    public static async Task WriteArchiveSampleAsync(EventDatabase database, TimeSpan? age = null)
    {
        var events = ArchiveFixture.Lines.Select(line => JsonNode.Parse(line)!.AsObject()).ToList();
        var shift = DateTime.UtcNow - (age ?? TimeSpan.FromMinutes(1)) - events.Max(e => e["created_at"]!.GetValue<DateTime>());
        var rows = events.Select(e =>
        {
            e["created_at"] = (e["created_at"]!.GetValue<DateTime>() + shift).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture);
            return Parse(System.Text.Encoding.UTF8.GetBytes(e.ToJsonString()));
        }).ToList();
        await Writer(database).WriteAsync(rows, TestContext.Current.CancellationToken);
    }

    public Task<List<object?[]>> RowsAsync(string sql) => Sql.RowsAsync(Database.ConnectionString, sql);

    public async Task<long> CountAsync(string sql) => (long)(await Sql.ScalarAsync(Database.ConnectionString, sql))!;

    public async ValueTask DisposeAsync()
    {
        foreach (var service in _services)
        {
            await service.StopAsync(CancellationToken.None);
        }

        _host.Dispose();
        await GitHub.DisposeAsync();
        await Database.DisposeAsync();
    }

    // The write path as Enrich with these settings has it: rows older than the activity window queue their actors.
    private static EventWriter Writer(EventDatabase database) =>
        new(database.WriterDataSource, database.Readiness, new ActorBacklogQueueing(ActivityWindow), Microsoft.Extensions.Options.Options.Create(database.Storage));

    private static EventRow Parse(byte[] json) =>
        GitHubEventParser.TryParse(json, out var row, out var rejection) ? row : throw new InvalidOperationException(rejection);

    private static async Task<long> NextEventIdAsync(EventDatabase database)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand("SELECT coalesce(max(event_id), 0) + 1 FROM events", connection);
        return (long)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }
}
