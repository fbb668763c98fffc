using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using DuckDB.NET.Data;
using GithubEvents.Enrich.Archive;
using GithubEvents.Enrich.Events;
using GithubEvents.Enrich.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

// The helpers of bench/archive/run.sh:
//   export CONNECTION FOLDER FIRST_HOUR HOURS   Enrich's exporter (HourExporter, FolderArchiveTarget, the default
//                                               Archive settings) writes each hour from FIRST_HOUR (UTC, ISO 8601) as
//                                               the archiver does: json.gz, Parquet and manifest staged, put at their
//                                               keys, the export recorded; prints the events, the seconds, this
//                                               process's CPU seconds and the bytes
//   profile CONNECTION FOLDER FIRST_HOUR HOURS  where the exporter's time goes, over HOURS hours: the hour's rows read
//                                               alone (ArchiveStore), read and written as json.gz alone, as Parquet
//                                               alone; prints each one's seconds and this process's CPU seconds
//   real FOLDER FILE...                         real events (GH Archive's NDJSON, or a recorded /events page: a line
//                                               holding the JSON array) written through JsonLinesFile and
//                                               ParquetEventsFile as the exporter writes an hour, each event as GitHub
//                                               sent it (compact, where the archive holds jsonb's text); prints the
//                                               events and both files' bytes
//   query FOLDER REPO WARM OUT.json             DuckDB over the archive's 24 Parquet and 24 json.gz files: each query
//                                               cold (the OS page cache dropped, a new DuckDB instance) and the median
//                                               of WARM runs after it in that instance (JSON_WARM for the json.gz
//                                               files); the Parquet files' bytes per column; prints, writes OUT.json
return args switch
{
    ["export", var connection, var folder, var firstHour, var hours] =>
        await ExportAsync(connection, folder, DateTime.Parse(firstHour, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal), int.Parse(hours, CultureInfo.InvariantCulture)),
    ["profile", var connection, var folder, var firstHour, var hours] =>
        await ProfileAsync(connection, folder, DateTime.Parse(firstHour, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal), int.Parse(hours, CultureInfo.InvariantCulture)),
    ["real", var folder, .. var files] => await RealAsync(folder, files),
    ["query", var folder, var repo, var warm, var jsonWarm, var output] =>
        await QueryAsync(folder, repo, int.Parse(warm, CultureInfo.InvariantCulture), int.Parse(jsonWarm, CultureInfo.InvariantCulture), output),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: export|profile CONNECTION FOLDER FIRST_HOUR HOURS | real FOLDER FILE... | query FOLDER REPO WARM JSON_WARM OUT.json");
    return 2;
}

static async Task<int> ExportAsync(string connection, string folder, DateTime firstHour, int hours)
{
    await using var writer = Writer(connection);
    var exporter = new HourExporter(Store(writer), new FolderArchiveTarget(folder), Options.Create(new ArchiveOptions { Path = folder }));
    long events = 0, json = 0, parquet = 0, manifests = 0;
    var clock = Stopwatch.StartNew();
    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
    for (var i = 0; i < hours; i++)
    {
        var hour = new ArchiveHour(firstHour.AddHours(i));
        using var staged = await exporter.StageAsync(hour, revision: 1, CancellationToken.None)
            ?? throw new InvalidOperationException($"The rows of {hour} changed while they were exported.");
        await exporter.PublishAsync(staged, CancellationToken.None);
        (events, json, parquet, manifests) = (events + staged.Record.Events, json + staged.Files.Json.Bytes,
            parquet + staged.Files.Parquet.Bytes, manifests + staged.Files.Manifest.Bytes);
    }

    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{events} {clock.Elapsed.TotalSeconds:F3} {CpuSecondsSince(cpu):F3} {json} {parquet} {manifests}"));
    return 0;
}

static async Task<int> ProfileAsync(string connection, string folder, DateTime firstHour, int hours)
{
    await using var writer = Writer(connection);
    var store = Store(writer);
    var rows = new ArchiveOptions().ReadRows;
    var groupRows = new ArchiveOptions().RowGroupRows;
    Directory.CreateDirectory(folder);
    var parts = new (string Name, Func<ArchiveHour, string, Task> Pass)[]
    {
        ("read", async (hour, _) =>
        {
            await foreach (var slice in store.ReadAsync(hour, rows, CancellationToken.None))
            {
            }
        }),
        ("read + json.gz", async (hour, file) =>
        {
            await using var json = new JsonLinesFile(file);
            await foreach (var slice in store.ReadAsync(hour, rows, CancellationToken.None))
            {
                foreach (var row in slice)
                {
                    json.Write(row);
                }
            }

            await json.CompleteAsync(file);
        }),
        ("read + Parquet", async (hour, file) =>
        {
            await using var parquet = await ParquetEventsFile.CreateAsync(file, groupRows, CancellationToken.None);
            await foreach (var slice in store.ReadAsync(hour, rows, CancellationToken.None))
            {
                foreach (var row in slice)
                {
                    await parquet.WriteAsync(row, CancellationToken.None);
                }
            }

            await parquet.CompleteAsync(file, CancellationToken.None);
        }),
    };
    // Once untimed, so that the first part timed pays no more than the others for the JIT and the page cache.
    for (var i = 0; i < hours; i++)
    {
        await parts[0].Pass(new ArchiveHour(firstHour.AddHours(i)), "");
    }

    foreach (var (name, pass) in parts)
    {
        var clock = Stopwatch.StartNew();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        for (var i = 0; i < hours; i++)
        {
            var file = Path.Combine(folder, $"{i}.{parts.Length}");
            await pass(new ArchiveHour(firstHour.AddHours(i)), file);
            File.Delete(file);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}\t{clock.Elapsed.TotalSeconds:F3}\t{CpuSecondsSince(cpu):F3}"));
    }

    return 0;
}

static async Task<int> RealAsync(string folder, string[] files)
{
    var events = files.SelectMany(file => File.ReadLines(file)
            .Where(line => line.StartsWith("{\"", StringComparison.Ordinal) || line.StartsWith("[{", StringComparison.Ordinal))
            .SelectMany(line => line.StartsWith('[')
                ? JsonDocument.Parse(line).RootElement.EnumerateArray().Select(element => element.GetRawText())
                : [line]))
        .Select(line => GitHubEventParser.TryParse(Encoding.UTF8.GetBytes(line), out var row, out var rejection)
            ? new ArchivedEvent(row.Time, row.EventId, row.EventType, row.ActorId, row.Actor, row.RepoId, row.Repo, row.Org,
                JsonNode.Parse(row.Payload)?["action"]?.GetValue<string>(), row.Detail, null, row.IsBot, SourceBits.Archive, null,
                Envelope(line), row.Payload, null, default)
            : throw new InvalidDataException(rejection))
        .OrderBy(row => row.Time).ThenBy(row => row.Id)
        .ToList();
    Directory.CreateDirectory(folder);
    var (jsonFile, parquetFile) = (Path.Combine(folder, "real.json.gz"), Path.Combine(folder, "real.parquet"));
    await using var json = new JsonLinesFile(jsonFile);
    await using var parquet = await ParquetEventsFile.CreateAsync(parquetFile, new ArchiveOptions().RowGroupRows, CancellationToken.None);
    foreach (var row in events)
    {
        json.Write(row);
        await parquet.WriteAsync(row, CancellationToken.None);
    }

    var (jsonDigest, parquetDigest) = (await json.CompleteAsync(jsonFile), await parquet.CompleteAsync(parquetFile, CancellationToken.None));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{events.Count} {jsonDigest.Bytes} {parquetDigest.Bytes}"));
    return 0;
}

// The event without its payload, as GitHub sent it (compact JSON), for EventLine to put the payload back in.
static byte[] Envelope(string line)
{
    var envelope = JsonNode.Parse(line)!.AsObject();
    envelope.Remove("payload");
    return Encoding.UTF8.GetBytes(envelope.ToJsonString());
}

static WriterDataSource Writer(string connection) => new(
    new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?> { [$"ConnectionStrings:{WriterDataSource.ConnectionName}"] = connection })
        .Build(),
    Options.Create(new DatabaseOptions()));

static ArchiveStore Store(WriterDataSource writer) => new(writer, Options.Create(new StorageOptions()));

static double CpuSecondsSince(TimeSpan cpu) => (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;

static async Task<int> QueryAsync(string folder, string repo, int parquetWarmRuns, int jsonWarmRuns, string output)
{
    var parquet = Path.Combine(folder, "parquet", "*", "*.parquet");
    var json = $"read_json('{Path.Combine(folder, "json", "*.json.gz")}', format = 'newline_delimited')";
    var queries = new (string Files, string Name, string Sql)[]
    {
        ("Parquet", "events per type per day",
            $"SELECT date, type, count(*) AS events FROM read_parquet('{parquet}', hive_partitioning = true) GROUP BY ALL ORDER BY date, events DESC"),
        ("Parquet", "busiest repositories (day, no bots)",
            $"""
            WITH busiest AS (
                SELECT repo_id, count(*) AS events FROM read_parquet('{parquet}') WHERE NOT is_bot AND repo_id IS NOT NULL
                GROUP BY repo_id ORDER BY events DESC LIMIT 20)
            SELECT arg_max(e.repo_name, e.created_at) AS repo_name, b.events, count(DISTINCT e.actor_id) AS actors
            FROM busiest b JOIN read_parquet('{parquet}') e ON e.repo_id = b.repo_id AND NOT e.is_bot
            GROUP BY b.repo_id, b.events ORDER BY b.events DESC
            """),
        ("Parquet", "the same, by name, every repository's actors",
            $"SELECT repo_name, count(*) AS events, count(DISTINCT actor_id) AS actors FROM read_parquet('{parquet}') WHERE NOT is_bot AND repo_name IS NOT NULL GROUP BY ALL ORDER BY events DESC LIMIT 20"),
        ("Parquet", "country shares",
            $"SELECT country_code, count(*) AS events, round(100 * count(*) / sum(count(*)) OVER (), 2) AS percent FROM read_parquet('{parquet}') WHERE country_code IS NOT NULL GROUP BY ALL ORDER BY events DESC"),
        ("Parquet", "one repository's history",
            $"SELECT created_at, type, action, actor_login, detail FROM read_parquet('{parquet}') WHERE repo_name = '{repo}' ORDER BY created_at"),
        ("json.gz", "events per type per day",
            $"SELECT created_at::DATE AS day, type, count(*) AS events FROM {json} GROUP BY ALL ORDER BY day, events DESC"),
        ("json.gz", "busiest repositories (day)",
            $"SELECT repo.name, count(*) AS events FROM {json} GROUP BY ALL ORDER BY events DESC LIMIT 20"),
        ("json.gz", "one repository's history",
            $"SELECT created_at, type, payload.action, actor.login FROM {json} WHERE repo.name = '{repo}' ORDER BY created_at"),
    };

    var timings = new List<QueryTiming>();
    foreach (var (files, name, sql) in queries)
    {
        var warmRuns = files == "Parquet" ? parquetWarmRuns : jsonWarmRuns;
        var cachesDropped = DropPageCache();
        await using var duckDb = new DuckDBConnection("Data Source=:memory:");
        await duckDb.OpenAsync();
        var (cold, rows) = await RunAsync(duckDb, sql);
        var warm = new List<double>();
        for (var i = 0; i < warmRuns; i++)
        {
            warm.Add((await RunAsync(duckDb, sql)).Milliseconds);
        }

        warm.Sort();
        timings.Add(new QueryTiming(files, name, cold, warm[warmRuns / 2], rows, cachesDropped, sql));
    }

    Console.WriteLine($"{"files",-8} {"query",-46} {"cold ms",9} {"warm ms",9} {"rows",6}");
    foreach (var timing in timings)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{timing.Files,-8} {timing.Name,-46} {timing.ColdMs,9:F1} {timing.WarmMs,9:F1} {timing.Rows,6}"));
    }

    var columns = await ParquetColumnsAsync(parquet);
    Console.WriteLine($"\n{"Parquet column",-16} {"bytes",14} {"share",7} {"uncompressed",14}");
    foreach (var column in columns)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{column.Name,-16} {column.Bytes,14:N0} {100.0 * column.Bytes / columns.Sum(c => c.Bytes),6:F1}% {column.UncompressedBytes,14:N0}"));
    }

    var rewritten = await RewrittenByDuckDbAsync(parquet, Path.GetDirectoryName(output)!);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"The same rows as DuckDB writes them (zstd, its row groups): {rewritten.All:N0} bytes, without the payload {rewritten.WithoutPayload:N0} (ours {columns.Sum(c => c.Bytes):N0} in the columns)"));

    await File.WriteAllTextAsync(output, JsonSerializer.Serialize(new { Queries = timings, ParquetColumns = columns, RewrittenByDuckDb = rewritten }, new JsonSerializerOptions { WriteIndented = true }));
    return 0;
}

static async Task<(double Milliseconds, int Rows)> RunAsync(DuckDBConnection duckDb, string sql)
{
    var clock = Stopwatch.StartNew();
    await using var command = duckDb.CreateCommand();
    command.CommandText = sql;
    await using var reader = await command.ExecuteReaderAsync();
    var rows = 0;
    while (await reader.ReadAsync())
    {
        rows++;
    }

    return (clock.Elapsed.TotalMilliseconds, rows);
}

static async Task<List<ParquetColumn>> ParquetColumnsAsync(string files)
{
    await using var duckDb = new DuckDBConnection("Data Source=:memory:");
    await duckDb.OpenAsync();
    await using var command = duckDb.CreateCommand();
    command.CommandText =
        $"""
        SELECT path_in_schema, sum(total_compressed_size)::BIGINT, sum(total_uncompressed_size)::BIGINT
        FROM parquet_metadata('{files}') GROUP BY ALL ORDER BY 2 DESC
        """;
    await using var reader = await command.ExecuteReaderAsync();
    var columns = new List<ParquetColumn>();
    while (await reader.ReadAsync())
    {
        columns.Add(new ParquetColumn(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2)));
    }

    return columns;
}

// What another writer makes of the same rows: a figure to compare ours with, not a file the archive keeps.
static async Task<Rewritten> RewrittenByDuckDbAsync(string files, string folder)
{
    await using var duckDb = new DuckDBConnection("Data Source=:memory:");
    await duckDb.OpenAsync();
    var sizes = new List<long>();
    foreach (var columns in new[] { "*", "* EXCLUDE (payload)" })
    {
        var file = Path.Combine(folder, "rewritten.parquet");
        await using (var command = duckDb.CreateCommand())
        {
            command.CommandText = $"COPY (SELECT {columns} FROM read_parquet('{files}')) TO '{file}' (FORMAT parquet, COMPRESSION zstd)";
            await command.ExecuteNonQueryAsync();
        }

        sizes.Add(new FileInfo(file).Length);
        File.Delete(file);
    }

    return new Rewritten(sizes[0], sizes[1]);
}

// Root only; elsewhere the cold runs are cold for DuckDB alone, and the JSON says so.
static bool DropPageCache()
{
    try
    {
        using (var sync = Process.Start("sync")!)
        {
            sync.WaitForExit();
        }

        File.WriteAllText("/proc/sys/vm/drop_caches", "3");
        return true;
    }
    catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or System.ComponentModel.Win32Exception)
    {
        return false;
    }
}

internal sealed record Rewritten(long All, long WithoutPayload);

internal sealed record ParquetColumn(string Name, long Bytes, long UncompressedBytes);

internal sealed record QueryTiming(string Files, string Name, double ColdMs, double WarmMs, int Rows, bool PageCacheDropped, string Sql);
