using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using GithubEvents.Enrich.Storage;
using Npgsql;
using YamlDotNet.RepresentationModel;

namespace GithubEvents.Tests.Grafana;

/// <summary>
/// Grafana's reader sees the relations the dashboards and alert rules read, and nothing else, with a statement timeout
/// and a connection limit (issue 28, item 1). The relations are derived from the provisioning files' SQL.
/// </summary>
public sealed partial class ReaderRelationsTests(PostgresServer postgres)
{
    [Theory]
    [MemberData(nameof(StoragePaths.Both), MemberType = typeof(StoragePaths))]
    public async Task The_reader_reads_exactly_the_relations_the_dashboards_and_alert_rules_name(SchemaFlavor path)
    {
        var roles = Roles();
        await using var database = await EventDatabase.CreateAsync(postgres, path, roles);
        var reader = As(database.ConnectionString, roles);

        var named = await RelationsNamedAsync(database.ConnectionString);
        Assert.Equal(named.Order(StringComparer.Ordinal), ReaderRelations.Names.Order(StringComparer.Ordinal));

        var everyRelation = await Sql.RowsAsync(database.ConnectionString,
            "SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname IN ('public', 'rollup') AND c.relkind IN ('r', 'v', 'm', 'p', 'f')");
        Assert.NotEmpty(everyRelation);
        foreach (var (schema, name) in everyRelation.Select(row => ((string)row[0]!, (string)row[1]!)))
        {
            var select = Sql.ExecuteAsync(reader, $"SELECT * FROM {schema}.{name} LIMIT 1");
            if (schema == "public" && ReaderRelations.Names.Contains(name))
            {
                await select;
            }
            else
            {
                var denied = await Assert.ThrowsAsync<PostgresException>(() => select);
                Assert.True(denied.SqlState == PostgresErrorCodes.InsufficientPrivilege, $"{schema}.{name}: {denied.SqlState} {denied.MessageText}");
            }
        }
    }

    [Fact]
    public async Task The_reader_has_its_statement_timeout_and_connection_limit()
    {
        var roles = Roles();
        roles.ReaderStatementTimeout = TimeSpan.FromSeconds(1);
        roles.ReaderConnectionLimit = 2;
        await using var database = await EventDatabase.CreateAsync(postgres, SchemaFlavor.Postgres, roles);
        var reader = new NpgsqlConnectionStringBuilder(As(database.ConnectionString, roles)) { Pooling = false }.ConnectionString;

        var cancellationToken = TestContext.Current.CancellationToken;
        await using var first = new NpgsqlConnection(reader);
        await using var second = new NpgsqlConnection(reader);
        await first.OpenAsync(cancellationToken);
        await second.OpenAsync(cancellationToken);
        var refused = await Assert.ThrowsAsync<PostgresException>(() => Sql.ScalarAsync(reader, "SELECT 1"));
        Assert.Equal(PostgresErrorCodes.TooManyConnections, refused.SqlState);

        // On a session already open: one that just ended may count against the limit a moment longer.
        await using (var show = new NpgsqlCommand("SHOW statement_timeout", first))
        {
            Assert.Equal("1s", await show.ExecuteScalarAsync(cancellationToken));
        }

        await using var sleep = new NpgsqlCommand("SELECT pg_sleep(30)", first);
        var cancelled = await Assert.ThrowsAsync<PostgresException>(() => sleep.ExecuteNonQueryAsync(cancellationToken));
        Assert.Equal(PostgresErrorCodes.QueryCanceled, cancelled.SqlState);
    }

    /// <summary>
    /// The relations of schema <c>public</c> that a FROM or JOIN of the provisioned SQL names: every panel's and
    /// variable's query, and every alert rule's (provisioning <c>alerting/</c>, when there is one).
    /// </summary>
    private static async Task<List<string>> RelationsNamedAsync(string connectionString)
    {
        var names = ProvisionedSql().SelectMany(sql => RelationReference().Matches(SqlComment().Replace(sql, " ")))
            .Select(match => match.Groups["name"].Value.ToLowerInvariant()).Distinct().ToArray();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relname = ANY (@names)", connection);
        command.Parameters.AddWithValue("names", names);
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        return [.. (await Sql.ReadRowsAsync(reader, TestContext.Current.CancellationToken)).Select(row => (string)row[0]!)];
    }

    private static IEnumerable<string> ProvisionedSql()
    {
        var dashboards = Directory.EnumerateFiles(Path.Combine(LiveDashboard.ProvisioningDirectory, "dashboards"), "*.json", SearchOption.AllDirectories)
            .SelectMany(file => JsonQueries(JsonNode.Parse(File.ReadAllText(file))));
        var alerting = Path.Combine(LiveDashboard.ProvisioningDirectory, "alerting");
        var rules = Directory.Exists(alerting)
            ? Directory.EnumerateFiles(alerting, "*", SearchOption.AllDirectories).SelectMany(AlertQueries)
            : [];
        var sql = dashboards.Concat(rules).ToList();
        Assert.NotEmpty(sql);
        return sql;
    }

    private static IEnumerable<string> AlertQueries(string file) => Path.GetExtension(file) switch
    {
        ".json" => JsonQueries(JsonNode.Parse(File.ReadAllText(file))),
        ".yaml" or ".yml" => YamlQueries(file),
        _ => [],
    };

    // rawSql is a SQL query's text in panels and alert rules alike; a variable's query is a string of its own.
    private static IEnumerable<string> JsonQueries(JsonNode? node) => node switch
    {
        JsonObject json => json.SelectMany(member => member.Key is "rawSql" or "query" && member.Value is JsonValue value && value.TryGetValue<string>(out var text)
            ? [text]
            : JsonQueries(member.Value)),
        JsonArray array => array.SelectMany(JsonQueries),
        _ => [],
    };

    private static IEnumerable<string> YamlQueries(string file)
    {
        var yaml = new YamlStream();
        using (var reader = new StreamReader(file))
        {
            yaml.Load(reader);
        }

        return yaml.Documents.SelectMany(document => document.AllNodes.OfType<YamlMappingNode>())
            .SelectMany(mapping => mapping.Children)
            .Where(child => child.Key is YamlScalarNode { Value: "rawSql" } && child.Value is YamlScalarNode)
            .Select(child => ((YamlScalarNode)child.Value).Value ?? "");
    }

    private static DatabaseOptions Roles() => new()
    {
        ReaderRole = $"reader_{Guid.NewGuid():N}"[..20],
        ReaderPassword = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12)),
    };

    private static string As(string connectionString, DatabaseOptions roles) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Username = roles.ReaderRole, Password = roles.ReaderPassword }.ConnectionString;

    [GeneratedRegex(@"\b(?:FROM|JOIN)\s+(?:public\.)?""?(?<name>[a-z_][a-z0-9_]*)", RegexOptions.IgnoreCase)]
    private static partial Regex RelationReference();

    [GeneratedRegex("--[^\n]*")]
    private static partial Regex SqlComment();
}
