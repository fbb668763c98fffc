using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Confluent.Kafka;
using GithubEvents.Enrich.Consuming;
using GithubEvents.Enrich.Events;
using GithubEvents.Enrich.Profiles;
using GithubEvents.Enrich.Storage;
using GithubEvents.ServiceDefaults;
using GithubEvents.Tests.Fakes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

// The helpers of bench/enrich/run.sh:
//   generate full|trimmed COUNT SAMPLE OUTDIR   events.ndjson (actor id, a tab, the event; fresh ids, times over the
//                                               last two hours, each copy of the sample with its own actors, as the
//                                               live feed has tens of thousands an hour), rows.csv (the same rows for
//                                               psql \copy) and actors.tsv (id, login)
//   fakes ACTORS LOCATIONS                      the fake GitHub (every actor an account, its location taken from the
//                                               LOCATIONS table) and the fake Nominatim; prints their addresses, runs
//                                               until standard input closes, then prints GraphQL requests, logins
//                                               asked, REST requests and Nominatim requests
//   feed BOOTSTRAP TOPIC GROUP FILE MAXLAG        every line to the topic, keyed by actor id, never more than MAXLAG
//                                               ahead of GROUP's committed offsets (the mock cluster keeps only a
//                                               few thousand messages a partition); prints the group's events/s
//                                               from its first commit to its last
//   setup CONNECTION                            Enrich's schema setup (Storage__TimescaleDb picks the path; Storage__*
//                                               and Retention__* as Enrich reads them)
//   maintain CONNECTION                         one turn of Enrich's maintenance without TimescaleDB, to the end:
//                                               prints the seconds of the refresh, the ranking and the retention
//   naive CONNECTION FILE                       the baseline writer: one INSERT per event
//   migrate CONNECTION RATE NNNN_NAME.sql...    Enrich's write path at RATE events/s while Enrich's setup applies each
//                                               file as one more migration after the product's (bench/dashboard/run.sh,
//                                               MIGRATION=1); prints each window's writes
return args switch
{
    ["generate", var shape, var count, var sample, var output] => Generate(shape == "trimmed", int.Parse(count), sample, output),
    ["feed", var bootstrap, var topic, var group, var file, var maxLag] => Feed(bootstrap, topic, group, file, int.Parse(maxLag)),
    ["setup", var connection] => await SetupAsync(connection),
    ["maintain", var connection] => await MaintainAsync(connection),
    ["naive", var connection, var file] => await NaiveAsync(connection, file),
    ["migrate", var connection, var rate, .. var files] => await MigrateWhileWritingAsync(connection, int.Parse(rate), files),
    ["fakes", var actors, var locations] => await FakesAsync(actors, locations),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: generate full|trimmed COUNT SAMPLE OUTDIR | feed BOOTSTRAP TOPIC GROUP FILE MAXLAG | setup CONNECTION | maintain CONNECTION | naive CONNECTION FILE | fakes ACTORS LOCATIONS | migrate CONNECTION RATE FILE...");
    return 2;
}

static int Generate(bool trimmed, int count, string samplePath, string output)
{
    var sample = File.ReadLines(samplePath).Where(line => line.Length > 0).Select(line => JsonNode.Parse(line)!.AsObject()).ToList();
    var newest = DateTime.UtcNow;
    using var events = new StreamWriter(Path.Combine(output, "events.ndjson"), false, new UTF8Encoding(false));
    using var rows = new StreamWriter(Path.Combine(output, "rows.csv"), false, new UTF8Encoding(false));
    var actors = new Dictionary<long, string>();
    for (var i = 0; i < count; i++)
    {
        var json = sample[i % sample.Count].DeepClone().AsObject();
        var (actorId, login) = CopyOfActor(json["actor"]!.AsObject(), i / sample.Count);
        actors.TryAdd(actorId, login);
        json["id"] = (90_000_000_000L + i).ToString(System.Globalization.CultureInfo.InvariantCulture);
        json["created_at"] = (newest - TimeSpan.FromHours(2) * (count - i) / count).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture);
        if (trimmed)
        {
            Trim(json);
        }

        var bytes = Encoding.UTF8.GetBytes(json.ToJsonString());
        // The key first, so that feeding the topic costs no parse.
        events.WriteLine($"{json["actor"]!["id"]}\t{Encoding.UTF8.GetString(bytes)}");
        if (!GitHubEventParser.TryParse(bytes, out var row, out var rejection))
        {
            throw new InvalidOperationException(rejection);
        }

        rows.WriteLine(string.Join(",",
            row.Time.ToString("O"), row.EventId, Csv(row.EventType), Csv(row.Actor), row.ActorId, Csv(row.Repo), row.RepoId, Csv(row.Org),
            Csv(row.Detail), row.IsBot ? "t" : "f", Csv(Encoding.UTF8.GetString(row.Payload)), Csv(Encoding.UTF8.GetString(row.Envelope))));
    }

    File.WriteAllLines(Path.Combine(output, "actors.tsv"), actors.Select(actor => $"{actor.Key}\t{actor.Value}"));
    return 0;
}

// Copy k of the sample gets its own actors: ids shifted by k billion, logins suffixed with k (a bot stays a bot).
static (long Id, string Login) CopyOfActor(JsonObject actor, int copy)
{
    var id = (long)actor["id"]! + copy * 1_000_000_000L;
    var login = (string)actor["login"]!;
    login = BotLogin.Is(login) ? $"{login[..^5]}-{copy}[bot]" : $"{login}-{copy}";
    actor["id"] = id;
    actor["login"] = login;
    actor["display_login"] = login;
    return (id, login);
}

// GitHub's payloads since October 2025: a push keeps its ref and heads, a pull request little beyond its number and branches.
static void Trim(JsonObject json)
{
    var payload = json["payload"]!.AsObject();
    switch ((string?)json["type"])
    {
        case "PushEvent":
            json["payload"] = new JsonObject
            {
                ["repository_id"] = json["repo"]!["id"]!.DeepClone(),
                ["push_id"] = payload["push_id"]?.DeepClone(),
                ["ref"] = payload["ref"]?.DeepClone(),
                ["head"] = payload["head"]?.DeepClone(),
                ["before"] = payload["before"]?.DeepClone(),
            };
            break;
        case "PullRequestEvent":
            var pullRequest = payload["pull_request"]!.AsObject();
            json["payload"] = new JsonObject
            {
                ["action"] = payload["action"]?.DeepClone(),
                ["number"] = payload["number"]?.DeepClone(),
                ["pull_request"] = new JsonObject
                {
                    ["head"] = new JsonObject { ["ref"] = pullRequest["head"]?["ref"]?.DeepClone(), ["sha"] = pullRequest["head"]?["sha"]?.DeepClone() },
                    ["base"] = new JsonObject { ["ref"] = pullRequest["base"]?["ref"]?.DeepClone(), ["sha"] = pullRequest["base"]?["sha"]?.DeepClone() },
                },
            };
            break;
    }
}

static async Task<int> FakesAsync(string actorsFile, string locationsFile)
{
    var locations = File.ReadLines(locationsFile).Where(line => line.Length > 0 && !line.StartsWith('#')).Select(line => line.Split('\t')[0]).ToArray();
    await using var github = new FakeGitHub();
    await using var nominatim = new FakeNominatim();
    foreach (var line in File.ReadLines(actorsFile))
    {
        var (id, login) = (long.Parse(line[..line.IndexOf('\t')]), line[(line.IndexOf('\t') + 1)..]);
        github.AddGeneratedUser(id, login, BotLogin.Is(login) ? "Bot" : "User", locations[id % locations.Length]);
    }

    await github.InitializeAsync();
    await nominatim.InitializeAsync();
    Console.WriteLine(github.BaseAddress);
    Console.WriteLine(nominatim.BaseAddress);
    await Console.In.ReadToEndAsync();

    var graphQL = github.Requests.Where(request => request.Path.EndsWith("/graphql", StringComparison.Ordinal)).ToList();
    Console.WriteLine(string.Join('\t', graphQL.Count, graphQL.Sum(request => FakeGitHub.GraphQLLogins(request).Count), github.Requests.Count - graphQL.Count, nominatim.Requests.Count));
    return 0;
}

static string Csv(string? value) => value is null ? "" : $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";

static int Feed(string bootstrap, string topic, string group, string file, int maxLag)
{
    using var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig
    {
        BootstrapServers = bootstrap,
        LingerMs = 5,
        CompressionType = CompressionType.Snappy,
    }).Build();
    using var watcher = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = bootstrap, GroupId = group }).Build();
    List<TopicPartition>? partitions = null;
    long Committed()
    {
        if (partitions is null)
        {
            using var admin = new DependentAdminClientBuilder(producer.Handle).Build();
            partitions = admin.GetMetadata(topic, TimeSpan.FromSeconds(10)).Topics[0].Partitions
                .Select(partition => new TopicPartition(topic, partition.PartitionId)).ToList();
        }

        return watcher.Committed(partitions, TimeSpan.FromSeconds(10)).Sum(offset => Math.Max(offset.Offset.Value, 0));
    }

    long produced = 0;
    long? firstCommitted = null;
    var clock = System.Diagnostics.Stopwatch.StartNew();
    var firstSeen = TimeSpan.Zero;
    void Watch(long committed)
    {
        if (firstCommitted is null && committed > 0)
        {
            (firstCommitted, firstSeen) = (committed, clock.Elapsed);
        }
    }

    foreach (var line in File.ReadLines(file))
    {
        var tab = line.IndexOf('\t', StringComparison.Ordinal);
        producer.Produce(topic, new Message<string, byte[]> { Key = line[..tab], Value = Encoding.UTF8.GetBytes(line[(tab + 1)..]) });

        if (++produced % 500 == 0)
        {
            producer.Flush(TimeSpan.FromSeconds(30));
            long committed;
            while (produced - (committed = Committed()) > maxLag)
            {
                Watch(committed);
                Thread.Sleep(10);
            }

            Watch(committed);
        }
    }

    producer.Flush(TimeSpan.FromSeconds(30));
    long last;
    while ((last = Committed()) < produced)
    {
        Watch(last);
        if (clock.Elapsed > TimeSpan.FromMinutes(30))
        {
            Console.Error.WriteLine($"timed out: {last} of {produced} committed");
            return 1;
        }

        Thread.Sleep(10);
    }

    Watch(last);
    var seconds = (clock.Elapsed - firstSeen).TotalSeconds;
    Console.WriteLine(((produced - firstCommitted!.Value) / seconds).ToString("F0", System.Globalization.CultureInfo.InvariantCulture));
    return 0;
}

static async Task<int> SetupAsync(string connection)
{
    await using var dataSource = NpgsqlDataSource.Create(connection);
    var (storage, retention) = SettingsFromEnvironment();
    Console.WriteLine(await Setup(dataSource, storage, retention, Migration.All, NullLoggerFactory.Instance).RunAsync(CancellationToken.None));
    return 0;
}

static DatabaseSetup Setup(NpgsqlDataSource dataSource, StorageOptions storage, RetentionOptions retention, IReadOnlyList<Migration> migrations, ILoggerFactory loggers) =>
    new(dataSource, new SchemaMigrator(Options.Create(storage), loggers.CreateLogger<SchemaMigrator>(), migrations),
        new StorageReadiness(), Options.Create(storage), Options.Create(retention), Options.Create(new DatabaseOptions()), TimeProvider.System,
        new Microsoft.Extensions.Hosting.Internal.ApplicationLifetime(NullLogger<Microsoft.Extensions.Hosting.Internal.ApplicationLifetime>.Instance),
        loggers.CreateLogger<DatabaseSetup>());

// One turn of Enrich's maintenance without TimescaleDB, with nothing left for the next: the refresh until caught up, the
// ranking, the retention of every relation. Prints the seconds each took.
static async Task<int> MaintainAsync(string connection)
{
    var (storage, retention) = SettingsFromEnvironment();
    var configuration = new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?> { [$"ConnectionStrings:{WriterDataSource.ConnectionName}"] = connection })
        .Build();
    await using var writer = new WriterDataSource(configuration, Options.Create(new DatabaseOptions()));
    var readiness = new StorageReadiness();
    readiness.Ready(SchemaFlavor.Postgres);
    using var maintenance = new PostgresMaintenance(writer, readiness, Options.Create(storage), Options.Create(retention), TimeProvider.System,
        NullLogger<PostgresMaintenance>.Instance);
    var clock = System.Diagnostics.Stopwatch.StartNew();
    await maintenance.RefreshAggregatesAsync(storage.AggregateRefreshLag, CancellationToken.None);
    var refreshed = clock.Elapsed.TotalSeconds;
    await maintenance.RankAsync(CancellationToken.None);
    var ranked = clock.Elapsed.TotalSeconds;
    // With no end to the turn, every relation is pruned to the end.
    await maintenance.DropExpiredRowsAsync(CancellationToken.None, DateTimeOffset.MaxValue);

    Console.WriteLine(FormattableString.Invariant($"{refreshed:F1} {ranked - refreshed:F1} {clock.Elapsed.TotalSeconds - ranked:F1}"));
    return 0;
}

// Storage__* and Retention__* from the environment, as Enrich binds them.
static (StorageOptions Storage, RetentionOptions Retention) SettingsFromEnvironment()
{
    var configuration = new ConfigurationBuilder().AddEnvironmentVariables().Build();
    return (configuration.GetSection(StorageOptions.SectionName).Get<StorageOptions>() ?? new StorageOptions(),
        configuration.GetSection(RetentionOptions.SectionName).Get<RetentionOptions>() ?? new RetentionOptions());
}

// Enrich's write path at a steady rate, each write taking every event due so far (at most Enrich:BatchSize), as the
// consumer takes what has arrived; 10 s of it alone, then each migration file applied by Enrich's setup in turn, each
// followed by 10 s of writes alone. Prints, for each phase (up to the next one's start), the setup's duration, the events
// stored while it ran, the events stored a second over the phase, the delays from an event's due time to its write's
// commit, the longest wait between two commits and the writes that timed out.
static async Task<int> MigrateWhileWritingAsync(string connection, int eventsPerSecond, string[] files)
{
    var (storage, retention) = SettingsFromEnvironment();
    using var loggers = LoggerFactory.Create(logging => logging.AddSimpleConsole(console => console.SingleLine = true));
    await using var dataSource = NpgsqlDataSource.Create(connection);
    var readiness = new StorageReadiness();
    readiness.Ready(await Setup(dataSource, storage, retention, Migration.All, NullLoggerFactory.Instance).RunAsync(CancellationToken.None));
    var configuration = new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?> { [$"ConnectionStrings:{WriterDataSource.ConnectionName}"] = connection })
        .Build();
    await using var writerSource = new WriterDataSource(configuration, Options.Create(new DatabaseOptions()));
    var writer = new EventWriter(writerSource, readiness, new ActorBacklogQueueing(new ProfileOptions().ActivityWindow), Options.Create(storage));

    var clock = Stopwatch.StartNew();
    var writes = new List<BenchWrite>();
    using var stop = new CancellationTokenSource();
    var writing = WriteSteadilyAsync(writer, eventsPerSecond, clock, writes, loggers.CreateLogger("Writer"), stop.Token);
    var phases = new List<(string Name, TimeSpan Start, TimeSpan? Migration)> { ("writes alone", TimeSpan.Zero, null) };
    await Task.Delay(TimeSpan.FromSeconds(10));
    var migrations = Migration.All.ToList();
    foreach (var file in files)
    {
        var name = Path.GetFileNameWithoutExtension(file);
        migrations.Add(new Migration(int.Parse(name[..4], CultureInfo.InvariantCulture), name[5..], File.ReadAllText(file), null, null));
        var start = clock.Elapsed;
        await Setup(dataSource, storage, retention, migrations.ToList(), loggers).RunAsync(CancellationToken.None);
        phases.Add((Path.GetFileName(file), start, clock.Elapsed - start));
        await Task.Delay(TimeSpan.FromSeconds(10));
    }

    var end = clock.Elapsed;
    await stop.CancelAsync();
    await writing;

    Console.WriteLine($"{"phase (until the next)",-34} {"setup s",8} {"stored in it",12} {"ev/s",6} {"median delay s",14} {"longest delay s",15} {"longest gap s",13} {"timeouts",8}");
    for (var i = 0; i < phases.Count; i++)
    {
        var (name, start, migration) = phases[i];
        var until = i + 1 < phases.Count ? phases[i + 1].Start : end;
        var stored = writes.Where(write => write.Committed > start && write.Committed <= until).ToList();
        var delays = stored.Select(write => (write.Committed - write.OldestDue).TotalSeconds).Order().ToList();
        // The longest wait between two stored writes that ended in the phase: a write held up by a migration ends after it.
        var gap = writes.Zip(writes.Skip(1)).Where(pair => pair.Second.Committed > start && pair.Second.Committed <= until)
            .Select(pair => (pair.Second.Committed - pair.First.Committed).TotalSeconds).DefaultIfEmpty(double.NaN).Max();
        var duringSetup = migration is { } took ? writes.Where(write => write.Committed > start && write.Committed <= start + took).Sum(write => write.Events) : 0;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name,-34} {migration?.TotalSeconds ?? double.NaN,8:F1} {duringSetup,12} {stored.Sum(write => write.Events) / (until - start).TotalSeconds,6:F0} " +
            $"{delays[delays.Count / 2],14:F2} {delays[^1],15:F2} {gap,13:F2} {stored.Sum(write => write.Timeouts),8}"));
    }

    return 0;
}

static async Task WriteSteadilyAsync(EventWriter writer, int eventsPerSecond, Stopwatch clock, List<BenchWrite> writes, ILogger logger, CancellationToken stop)
{
    var (written, nextId, maxBatch) = (0L, 1_000_000_000_000L, new EnrichOptions().BatchSize);
    while (!stop.IsCancellationRequested)
    {
        var due = (long)(clock.Elapsed.TotalSeconds * eventsPerSecond);
        if (due == written)
        {
            await Task.Delay(TimeSpan.FromSeconds(1.0 / eventsPerSecond), CancellationToken.None);
            continue;
        }

        var count = (int)Math.Min(due - written, maxBatch);
        var batch = Enumerable.Range(0, count).Select(_ => BenchEvent(nextId++)).ToList();
        var (timeouts, delay) = (0, new EnrichOptions().RetryDelay);
        while (true)
        {
            try
            {
                await writer.WriteAsync(batch, CancellationToken.None);
                break;
            }
            catch (NpgsqlException ex) when (ex.InnerException is TimeoutException)
            {
                timeouts++;
                logger.LogWarning("A write of {Count} events timed out after Storage:WriteTimeout; retrying in {Delay}", count, delay);
                await Task.Delay(delay, CancellationToken.None);
                delay = Retries.Doubled(delay, new EnrichOptions().MaxRetryDelay);
            }
        }

        writes.Add(new BenchWrite(TimeSpan.FromSeconds((double)written / eventsPerSecond), clock.Elapsed, count, timeouts));
        written += count;
    }
}

// A starred repository, as the feed sends it now.
static EventRow BenchEvent(long id)
{
    var (actorId, time) = (id % 100_000, DateTime.UtcNow);
    return new EventRow
    {
        Time = time,
        EventId = id,
        EventType = "WatchEvent",
        Actor = $"bench-{actorId}",
        ActorId = actorId,
        Repo = $"bench-{actorId}/repo-{id % 7}",
        RepoId = actorId * 10 + id % 7,
        Detail = "starred",
        Payload = """{"action":"started"}"""u8.ToArray(),
        Envelope = Encoding.UTF8.GetBytes($$"""{"id":"{{id}}","type":"WatchEvent","actor":{"id":{{actorId}},"login":"bench-{{actorId}}"},"repo":{"id":{{actorId * 10 + id % 7}},"name":"bench-{{actorId}}/repo-{{id % 7}}"},"public":true,"created_at":"{{time:O}}"}"""),
        Sources = 1,
    };
}

static async Task<int> NaiveAsync(string connection, string file)
{
    await using var dataSource = NpgsqlDataSource.Create(connection);
    await using var insert = dataSource.CreateCommand(
        "INSERT INTO events (time, event_id, event_type, actor, actor_id, repo, repo_id, org, detail, is_bot, payload, envelope) " +
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT DO NOTHING");
    foreach (var line in File.ReadLines(file))
    {
        if (!GitHubEventParser.TryParse(Encoding.UTF8.GetBytes(line[(line.IndexOf('\t', StringComparison.Ordinal) + 1)..]), out var row, out var rejection))
        {
            throw new InvalidOperationException(rejection);
        }

        insert.Parameters.Clear();
        insert.Parameters.Add(new NpgsqlParameter { Value = row.Time, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        insert.Parameters.Add(new NpgsqlParameter { Value = row.EventId });
        insert.Parameters.Add(new NpgsqlParameter { Value = row.EventType });
        insert.Parameters.Add(new NpgsqlParameter { Value = row.Actor });
        insert.Parameters.Add(new NpgsqlParameter { Value = row.ActorId });
        insert.Parameters.Add(new NpgsqlParameter { Value = (object?)row.Repo ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        insert.Parameters.Add(new NpgsqlParameter { Value = (object?)row.RepoId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bigint });
        insert.Parameters.Add(new NpgsqlParameter { Value = (object?)row.Org ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        insert.Parameters.Add(new NpgsqlParameter { Value = row.Detail });
        insert.Parameters.Add(new NpgsqlParameter { Value = row.IsBot });
        insert.Parameters.Add(new NpgsqlParameter { Value = row.Payload, NpgsqlDbType = NpgsqlDbType.Jsonb });
        insert.Parameters.Add(new NpgsqlParameter { Value = row.Envelope, NpgsqlDbType = NpgsqlDbType.Jsonb });
        await insert.ExecuteNonQueryAsync();
    }

    return 0;
}

// One write of the migration bench: when its oldest event was due and when it was stored, since the bench's start.
internal sealed record BenchWrite(TimeSpan OldestDue, TimeSpan Committed, int Events, int Timeouts);
