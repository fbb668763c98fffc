using GithubEvents.Ingest.Archive;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace GithubEvents.Tests.Ingest;

/// <summary>The backfill in a host writing to topics of its own, reading the fake archive, recording progress in a temporary folder.</summary>
internal sealed class BackfillRun : IAsyncDisposable
{
    private BackfillRun(FakeGhArchive archive, DirectoryInfo folder, LogCapture logs)
    {
        Archive = archive;
        Folder = folder;
        Logs = logs;
    }

    public FakeGhArchive Archive { get; }

    /// <summary>Holds the progress file; tests put local archive files here too.</summary>
    public DirectoryInfo Folder { get; }

    public LogCapture Logs { get; }

    public string ProgressFile => Path.Combine(Folder.FullName, "progress.txt");

    /// <summary>The fixture's hours, 2021-07-21 06:00 to 09:00, 200 events each.</summary>
    public static IReadOnlyDictionary<DateTime, string[]> Hours { get; } = ArchiveFixture.ByHour();

    public static async Task<BackfillRun> StartAsync()
    {
        var archive = new FakeGhArchive();
        await archive.InitializeAsync();
        return new BackfillRun(archive, Directory.CreateTempSubdirectory("ingest-backfill-"), new LogCapture());
    }

    public void ServeFixtureHours()
    {
        foreach (var (hour, lines) in Hours)
        {
            Archive.Serve(ArchiveHour.FileName(hour), ArchiveFixture.Gzip(lines));
        }
    }

    /// <summary>A host with the backfill's registrations, <paramref name="more"/> settings on top; each run of a test uses the same topics.</summary>
    public IHost Host(KafkaMockCluster kafka, string? topic = null, IDictionary<string, string?>? more = null)
    {
        var settings = new Dictionary<string, string?>(more ?? new Dictionary<string, string?>())
        {
            ["GhArchive:Url"] = Archive.BaseAddress.ToString(),
            ["GhArchive:ProgressFile"] = ProgressFile,
        };
        if (topic is not null)
        {
            settings["Kafka:Topics:Raw"] = topic;
            settings["Kafka:Topics:DeadLetters"] = $"{topic}-dlq";
            settings["Kafka:Topics:Polls"] = $"{topic}-polls";
        }

        var builder = IngestTestHost.Builder(kafka.BootstrapServers, TimeProvider.System, Logs, settings);
        builder.AddEventPublishing();
        builder.AddArchiveBackfill();
        return builder.Build();
    }

    public static Task<BackfillReport> RunAsync(IHost host, params string[] args) =>
        host.Services.GetRequiredService<ArchiveBackfill>().RunAsync(BackfillRequest.Parse(args).Request, TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        await Archive.DisposeAsync();
        Folder.Delete(recursive: true);
    }
}
