using Aspire.Hosting;
using YamlDotNet.RepresentationModel;

namespace GithubEvents.Tests.Grafana;

/// <summary>The datasource file a run writes for Grafana: the committed one, with the database's version and flag.</summary>
public sealed class DatasourceFileTests(PostgresServer postgres)
{
    private static readonly string CommittedPath = Path.Combine(LiveDashboard.ProvisioningDirectory, GrafanaDatasourceFile.RelativePath);

    [Theory]
    [InlineData(1500, false, "disable")]
    [InlineData(1700, true, "verify-full")]
    public void The_written_file_holds_the_version_the_flag_and_the_TLS_mode_as_plain_literals_and_the_rest_as_committed(int version, bool timescaleDb, string sslMode)
    {
        var committed = File.ReadAllText(CommittedPath);

        var written = GrafanaDatasourceFile.Render(committed, version, timescaleDb, sslMode);

        var jsonData = (YamlMappingNode)((YamlMappingNode)((YamlSequenceNode)Parse(written)["datasources"]).Children.Single())["jsonData"];
        var postgresVersion = (YamlScalarNode)jsonData["postgresVersion"];
        var flag = (YamlScalarNode)jsonData["timescaledb"];
        Assert.Equal((version.ToString(System.Globalization.CultureInfo.InvariantCulture), YamlDotNet.Core.ScalarStyle.Plain), (postgresVersion.Value, postgresVersion.Style));
        Assert.Equal((timescaleDb ? "true" : "false", YamlDotNet.Core.ScalarStyle.Plain), (flag.Value, flag.Style));
        Assert.Equal(sslMode, ((YamlScalarNode)jsonData["sslmode"]).Value);
        // Every other line is the committed file's.
        Assert.Equal(Unreplaced(committed.Split('\n')), Unreplaced(written.Split('\n').Skip(1)));
    }

    [Fact]
    public async Task The_flags_are_read_from_the_database_Grafana_reads()
    {
        var database = await postgres.CreateDatabaseAsync();

        var (version, timescaleDb) = await GrafanaDatasourceFile.ReadFlagsAsync(database, TestContext.Current.CancellationToken);

        var serverVersion = (int)(await Sql.ScalarAsync(database, "SELECT current_setting('server_version_num')::int"))!;
        Assert.Equal(serverVersion / 10000 * 100, version);
        Assert.False(timescaleDb);
        if (postgres.HasTimescaleDb)
        {
            await Sql.ExecuteAsync(database, "CREATE EXTENSION timescaledb");
            Assert.True((await GrafanaDatasourceFile.ReadFlagsAsync(database, TestContext.Current.CancellationToken)).TimescaleDb);
        }
    }

    private static IEnumerable<string> Unreplaced(IEnumerable<string> lines) =>
        lines.Where(line => !new[] { "postgresVersion:", "timescaledb:", "sslmode:" }.Any(key => line.TrimStart().StartsWith(key, StringComparison.Ordinal)));

    private static YamlMappingNode Parse(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return (YamlMappingNode)stream.Documents.Single().RootNode;
    }
}
