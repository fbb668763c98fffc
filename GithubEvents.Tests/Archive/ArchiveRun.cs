using System.IO.Compression;
using System.Text.Json.Nodes;
using GithubEvents.Enrich.Archive;
using GithubEvents.Enrich.Events;
using GithubEvents.Enrich.Leadership;
using GithubEvents.Enrich.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace GithubEvents.Tests.Archive;

/// <summary>
/// The archive's pieces as Enrich registers them (<c>AddArchive</c>), on a test database and a
/// folder of the test's own; and the helpers to write events and to read the archive back.
/// </summary>
internal sealed class ArchiveRun : IAsyncDisposable
{
    private ArchiveRun(EventDatabase database, ArchiveOptions options, LogCapture? logs)
    {
        Logs = logs;
        Database = database;
        Options = options;
        Target = new FolderArchiveTarget(options.Path);
        Store = new ArchiveStore(database.WriterDataSource, Microsoft.Extensions.Options.Options.Create(database.Storage));
        Exporter = new HourExporter(Store, Target, Microsoft.Extensions.Options.Options.Create(options));
    }

    public EventDatabase Database { get; }

    public LogCapture? Logs { get; }

    public ArchiveOptions Options { get; }

    public string Root => Options.Path;

    public FolderArchiveTarget Target { get; }

    public ArchiveStore Store { get; }

    public HourExporter Exporter { get; }

    /// <summary>A start of an hour <paramref name="hoursAgo"/> hours before the current one.</summary>
    public static DateTime HoursAgo(int hoursAgo) => ArchiveHour.Of(DateTime.UtcNow).Start.AddHours(-hoursAgo);

    /// <param name="storage">Storage options of the database; its path's defaults unless given.</param>
    public static async Task<ArchiveRun> CreateAsync(PostgresServer postgres, SchemaFlavor path, Action<ArchiveOptions>? configure = null,
        StorageOptions? storage = null, LogCapture? logs = null)
    {
        var options = new ArchiveOptions { Path = Directory.CreateTempSubdirectory("archive-").FullName, RowGroupRows = 1_000, ReadRows = 500 };
        configure?.Invoke(options);
        var database = storage is null
            ? await EventDatabase.CreateAsync(postgres, path, archive: true)
            : await EventDatabase.OpenAsync(await EventDatabase.CreateEmptyAsync(postgres, path), storage, archive: true);
        return new ArchiveRun(database, options, logs);
    }

    /// <summary>
    /// Runs the archiver as Enrich does, until <paramref name="done"/> holds of <c>archive_exports</c>, then stops it.
    /// </summary>
    public async Task ArchiveUntilAsync(string done, string what)
    {
        var archiver = Archiver();
        await archiver.StartAsync(TestContext.Current.CancellationToken);
        try
        {
            await EnrichPipeline.EventuallyAsync(async () => (bool)(await Sql.ScalarAsync(Database.ConnectionString, done))!, what);
        }
        finally
        {
            await archiver.StopAsync(CancellationToken.None);
            archiver.Dispose();
        }
    }

    /// <summary>An archiver as Enrich registers it, on this run's database, folder and logs; not started.</summary>
    public Archiver Archiver() =>
        new(Exporter, Store, Target, Microsoft.Extensions.Options.Options.Create(Options), Microsoft.Extensions.Options.Options.Create(Database.Storage),
            new LeaderElection(Database.Readiness, Database.WriterDataSource, TimeProvider.System),
            Logs is null ? NullLogger<Archiver>.Instance : new LoggerFactory([Logs]).CreateLogger<Archiver>());

    /// <summary>Writes events through Enrich's writer as the sources delivered them; returns each as sent.</summary>
    public async Task<List<(long Id, byte[] Json)>> WriteAsync(IEnumerable<(long Id, string Type, DateTime Time, short Sources, JsonObject? Payload)> events)
    {
        var sent = events.Select(e => (e.Id, Json: TestEvents.Event(e.Id, e.Type, e.Time, $"actor{e.Id % 7}", 1000 + (e.Id % 7), $"octo/repo{e.Id % 3}", e.Payload), e.Sources))
            .ToList();
        var rows = sent.Select(e => GitHubEventParser.TryParse(e.Json, out var row, out var rejection)
            ? row with { Sources = e.Sources }
            : throw new InvalidOperationException(rejection)).ToList();
        await Database.Writer.WriteAsync(rows, TestContext.Current.CancellationToken);
        return [.. sent.Select(e => (e.Id, e.Json))];
    }

    public string PathOf(string key) => System.IO.Path.Combine(Root, key);

    /// <summary>The lines of an hour's json.gz.</summary>
    public List<string> JsonLines(ArchiveHour hour) => JsonLines(PathOf(hour.JsonKey));

    /// <summary>The lines of a json.gz file.</summary>
    public static List<string> JsonLines(string file)
    {
        using var gzip = new GZipStream(File.OpenRead(file), CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        var lines = new List<string>();
        while (reader.ReadLine() is { } line)
        {
            lines.Add(line);
        }

        return lines;
    }

    public JsonNode Manifest(ArchiveHour hour) => JsonNode.Parse(File.ReadAllText(PathOf(hour.ManifestKey)))!;

    public async ValueTask DisposeAsync()
    {
        await Database.DisposeAsync();
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
    }
}
