using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using GithubEvents.Enrich.Storage;
using GithubEvents.Tests.Grafana;
using Npgsql;

// The timing half of bench/dashboard/run.sh:
//   time CONNECTION RANGE TIMESCALEDB DOCS OUT.json
// runs every panel's SQL of the live dashboard and its event-type variable, expanded as Grafana expands them (the
// tests' GrafanaMacros) for the dashboard's range RANGE (e.g. 1h, 24h; a panel with its own relative time keeps it)
// with the variables as the dashboard opens, then every SQL statement of the documents DOCS (comma-separated: README.md
// and docs/*.md) and `SELECT * FROM v LIMIT 100` for each view their relation tables list: once right away (the first, cold run; the script restarts the server before), then
// five times more; prints a table of the first run and the median of the five, and writes it as JSON.
//   refresh CONNECTION "STATEMENT; STATEMENT"
// runs the statements one by one (a continuous aggregate's refresh refuses a transaction block) and prints the CPU
// time the server process spent on them (user and system, from /proc: the server runs on this machine), their wall
// time and the longest statement's, in milliseconds, and how many there were.
//   catch-up CONNECTION LAG
// the same for the plain path's catch-up as Enrich's maintenance makes it: `SELECT rollup.refresh(LAG, 12)` until a
// call materialises fewer than 12 slices, each with Storage:MaintenanceTimeout.
return args switch
{
    ["refresh", var connection, var statements] => await RefreshAsync(connection, statements),
    ["catch-up", var connection, var lag] => await CatchUpAsync(connection, TimeSpan.Parse(lag, CultureInfo.InvariantCulture)),
    ["time", var connection, var range, var timescaleDb, var docs, var output] =>
        await TimeAsync(connection, GrafanaMacros.ParseInterval(range), bool.Parse(timescaleDb), docs.Split(','), output),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: time CONNECTION RANGE TIMESCALEDB DOC[,DOC...] OUT.json | refresh CONNECTION STATEMENTS | catch-up CONNECTION LAG");
    return 2;
}

static async Task<int> TimeAsync(string connection, TimeSpan range, bool timescaleDb, string[] docPaths, string output)
{
    const int WarmRuns = 5;
    var queries = DashboardQueries(range, timescaleDb).Concat(ReadmeQueries(string.Join("\n", docPaths.Select(File.ReadAllText)))).ToList();
    await using var database = new NpgsqlConnection(connection);
    await database.OpenAsync();

    var results = new List<Timing>();
    foreach (var (group, name, sql) in queries)
    {
        var (cold, rows) = await RunAsync(database, sql);
        var warm = new List<double>();
        for (var i = 0; i < WarmRuns; i++)
        {
            warm.Add((await RunAsync(database, sql)).Milliseconds);
        }

        warm.Sort();
        results.Add(new Timing(group, name, cold, warm[WarmRuns / 2], rows, sql));
    }

    var label = GrafanaMacros.FormatInterval(range);
    Console.WriteLine($"{"",-10} {"query",-44} {"cold ms",9} {"warm ms",9} {"rows",6}   (dashboard range {label})");
    foreach (var timing in results)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{timing.Group,-10} {timing.Name,-44} {timing.ColdMs,9:F1} {timing.WarmMs,9:F1} {timing.Rows,6}"));
    }

    var dashboard = results.Where(timing => timing.Group is "panel" or "variable").ToList();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{"dashboard",-10} {"all panels and the variables, one after another",-44} {dashboard.Sum(t => t.ColdMs),9:F1} {dashboard.Sum(t => t.WarmMs),9:F1}"));
    await File.WriteAllTextAsync(output, JsonSerializer.Serialize(new { range = label, timescaleDb, warmRuns = WarmRuns, queries = results },
        new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase }));
    return 0;
}

// What Grafana sends for each panel as the dashboard opens (All event types, no bots, All watched repositories), with the interval Grafana asks
// for at both the default range and 24 hours: the panels' 1-minute minimum.
static IEnumerable<(string Group, string Name, string Sql)> DashboardQueries(TimeSpan range, bool timescaleDb)
{
    var dashboard = LiveDashboard.Load();
    var eventType = dashboard.Variable("event_type");
    var bots = dashboard.Variable("include_bots");
    var watched = dashboard.Variable("watched_repo");
    var variables = new Dictionary<string, VariableSelection>
    {
        [eventType.Name] = new([], eventType.Multi, eventType.IncludeAll, eventType.AllValue, IsAll: true),
        [bots.Name] = new(["false"], bots.Multi, bots.IncludeAll, bots.AllValue),
        [watched.Name] = new([], watched.Multi, watched.IncludeAll, watched.AllValue, IsAll: true),
    };
    var now = DateTime.UtcNow;
    QueryContext Context(string? timeFrom, string? interval) => new(
        now - (timeFrom is null ? range : GrafanaMacros.ParseInterval(timeFrom)), now, GrafanaMacros.ParseInterval(interval ?? "1m"), timescaleDb, variables);

    yield return ("variable", eventType.Name, GrafanaMacros.Expand(eventType.Query, Context(null, null)));
    yield return ("variable", watched.Name, GrafanaMacros.Expand(watched.Query, Context(null, null)));
    foreach (var panel in dashboard.Panels)
    {
        foreach (var target in panel.Targets)
        {
            yield return ("panel", panel.Title, GrafanaMacros.Expand(target.RawSql, Context(panel.TimeFrom, panel.MinInterval)));
        }
    }
}

// The documents' SQL blocks, statement by statement, and each view of their relation tables.
static IEnumerable<(string Group, string Name, string Sql)> ReadmeQueries(string readme)
{
    foreach (Match block in Regex.Matches(readme, @"```sql\n(?<sql>.*?)```", RegexOptions.Singleline))
    {
        var text = Regex.Replace(block.Groups["sql"].Value, @"--[^\n]*", "");
        foreach (var statement in text.Split(';').Select(s => Regex.Replace(s.Trim(), @"\s+", " ")).Where(s => s.Length > 0))
        {
            yield return ("readme", statement.Length > 44 ? statement[..41] + "..." : statement, statement);
        }
    }

    foreach (var view in Regex.Matches(readme, @"^\| `(?<view>v_[a-z0-9_]+)`", RegexOptions.Multiline).Select(match => match.Groups["view"].Value).Distinct())
    {
        yield return ("view", view, $"SELECT * FROM {view} LIMIT 100");
    }
}

static Task<int> RefreshAsync(string connection, string statements)
{
    var each = statements.Split("; ", StringSplitOptions.RemoveEmptyEntries);
    return TimedAsync(connection, async (database, i) =>
    {
        await using var command = new NpgsqlCommand(each[i], database) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync();
        return i + 1 < each.Length;
    });
}

static Task<int> CatchUpAsync(string connection, TimeSpan lag) =>
    TimedAsync(connection, async (database, _) =>
    {
        await using var command = new NpgsqlCommand("SELECT rollup.refresh(@lag, @slices)", database)
        {
            CommandTimeout = (int)new StorageOptions().MaintenanceTimeout.TotalSeconds,
        };
        command.Parameters.AddWithValue("lag", lag);
        command.Parameters.AddWithValue("slices", PostgresMaintenance.RefreshSlices);
        return await command.ExecuteScalarAsync() as int? == PostgresMaintenance.RefreshSlices;
    });

// Runs statement 0, 1, ... while the last says there is more; prints the server's CPU time, the wall time, the longest
// statement's wall time (milliseconds) and the statements.
static async Task<int> TimedAsync(string connection, Func<NpgsqlConnection, int, Task<bool>> statement)
{
    await using var database = new NpgsqlConnection(connection);
    await database.OpenAsync();
    var cpu = ServerCpu(database.ProcessID);
    var clock = Stopwatch.StartNew();
    var (count, longest, more) = (0, TimeSpan.Zero, true);
    while (more)
    {
        var started = clock.Elapsed;
        more = await statement(database, count++);
        longest = TimeSpan.FromTicks(Math.Max(longest.Ticks, (clock.Elapsed - started).Ticks));
    }

    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{(ServerCpu(database.ProcessID) - cpu).TotalMilliseconds:F0} {clock.Elapsed.TotalMilliseconds:F0} {longest.TotalMilliseconds:F0} {count}"));
    return 0;
}

// utime and stime of /proc/PID/stat, in clock ticks of 10 ms (fields 14 and 15; the name in parentheses may hold spaces).
static TimeSpan ServerCpu(int pid)
{
    var fields = File.ReadAllText($"/proc/{pid}/stat").Split(')')[^1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
    return TimeSpan.FromMilliseconds(10 * (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)));
}

static async Task<(double Milliseconds, int Rows)> RunAsync(NpgsqlConnection connection, string sql)
{
    var clock = Stopwatch.StartNew();
    await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 600 };
    await using var reader = await command.ExecuteReaderAsync();
    var rows = 0;
    while (await reader.ReadAsync())
    {
        rows++;
    }

    return (clock.Elapsed.TotalMilliseconds, rows);
}

internal sealed record Timing(string Group, string Name, double ColdMs, double WarmMs, int Rows, string Sql);
