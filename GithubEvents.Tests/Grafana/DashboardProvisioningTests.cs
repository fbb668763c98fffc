using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace GithubEvents.Tests.Grafana;

/// <summary>The provisioning files as Grafana reads them: environment variables expanded first, then YAML and JSON.</summary>
public sealed class DashboardProvisioningTests
{
    private static readonly Dictionary<string, string> AppHostEnvironment = new()
    {
        ["GITHUB_EVENTS_DB_HOST"] = "timescaledb:5432",
        ["GITHUB_EVENTS_DB_NAME"] = "github-events",
        ["GITHUB_EVENTS_DB_READER_USER"] = "grafana_reader",
        // Grafana puts environment values into the strings of the parsed YAML, so YAML syntax in them stays text.
        ["GITHUB_EVENTS_DB_READER_PASSWORD"] = "a: 'password' # that is no YAML",
        ["GITHUB_EVENTS_DB_ROOT_CERT"] = "/etc/grafana/database-root.crt",
    };

    // The core panels of Grafana 12; anything else would need a plugin installed.
    private static readonly string[] CorePanels = ["timeseries", "geomap", "table", "stat", "logs"];

    [Fact]
    public void The_dashboard_is_GitHub_Events_Live_refreshing_every_10_seconds_over_the_last_hour()
    {
        var dashboard = LiveDashboard.Load();

        Assert.Equal("github-events-live", (string?)dashboard.Json["uid"]);
        Assert.Equal("GitHub Events - Live", (string?)dashboard.Json["title"]);
        Assert.Equal("10s", (string?)dashboard.Json["refresh"]);
        Assert.Equal(TimeSpan.FromHours(1), dashboard.DefaultRange());
        Assert.True((int)dashboard.Json["schemaVersion"]! >= 41);
        Assert.Equal(dashboard.Panels.Count, dashboard.Panels.Select(panel => (int)panel.Json["id"]!).Distinct().Count());
    }

    [Fact]
    public void Every_panel_is_a_core_panel_with_one_SQL_query_on_a_provisioned_datasource()
    {
        var dashboard = LiveDashboard.Load();
        var uids = DatasourceUids(Datasources(AppHostEnvironment));

        Assert.NotEmpty(dashboard.Panels);
        foreach (var panel in dashboard.Panels)
        {
            Assert.True(CorePanels.Contains(panel.Type), $"{panel.Title}: '{panel.Type}' is not a core panel");
            Assert.True(panel.DatasourceUid is not null && uids.Contains(panel.DatasourceUid), $"{panel.Title}: datasource '{panel.DatasourceUid}' is not provisioned");
            var target = Assert.Single(panel.Targets);
            Assert.True(target.DatasourceUid is not null && uids.Contains(target.DatasourceUid), $"{panel.Title}: target datasource '{target.DatasourceUid}' is not provisioned");
            Assert.Equal(panel.Type == "timeseries" ? "time_series" : "table", target.Format);
            Assert.Equal("grafana-postgresql-datasource", (string?)panel.Json["datasource"]!["type"]);
        }

        foreach (var variable in dashboard.Variables.Where(variable => variable.Type == "query"))
        {
            Assert.True(variable.DatasourceUid is not null && uids.Contains(variable.DatasourceUid), $"${variable.Name}: datasource '{variable.DatasourceUid}' is not provisioned");
        }
    }

    [Fact]
    public void The_panels_are_the_ones_the_issue_asks_for()
    {
        var dashboard = LiveDashboard.Load();

        Assert.Equal(
            [
                ("Freshness", "stat", null), ("Events in the last hour", "stat", "1h"), ("Enrichment coverage (last hour)", "stat", null),
                ("Events per minute by type", "timeseries", null), ("Events by country", "geomap", null), ("Top countries (24 h)", "table", "24h"),
                ("Top repositories (24 h)", "table", "24h"), ("Most active actors (24 h)", "table", "24h"), ("Recent events", "table", null),
                ("Live share, last complete hour", "stat", "24h"), ("Live share per hour (estimate and 95% interval)", "timeseries", "24h"),
                ("Events per feed request", "timeseries", "24h"), ("Polls that missed events", "timeseries", "24h"),
                ("Watched repositories: live coverage", "table", "24h"), ("Watched repositories: live share per hour", "timeseries", "24h"),
                ("Kafka gaps: messages deleted unread", "timeseries", "7d"), ("Archive", "table", null),
            ],
            dashboard.Panels.Select(panel => (panel.Title, panel.Type, panel.TimeFrom)));
        // The seven before the last in a row of their own, below the others; the archive's state in a row of its own, last.
        Assert.Equal(["Data completeness", "Archive"], dashboard.Rows.Select(row => row.Title));
        var (completeness, archive) = (dashboard.Rows[0].Y, dashboard.Rows[1].Y);
        Assert.All(dashboard.Panels, panel => Assert.Equal(panel.Title.StartsWith("Live share", StringComparison.Ordinal) || panel.Title.Contains("feed request") || panel.Title.StartsWith("Polls", StringComparison.Ordinal)
                || panel.Title.StartsWith("Watched", StringComparison.Ordinal) || panel.Title.StartsWith("Kafka gaps", StringComparison.Ordinal),
            (int)panel.Json["gridPos"]!["y"]! is var y && y > completeness && y < archive));
        Assert.True((int)dashboard.Panel("Archive").Json["gridPos"]!["y"]! > archive);
        // The day's rankings, made ahead by the refresh (0008_dashboard_rankings.sql).
        Assert.Contains("FROM top_actors_24h", dashboard.Panel("Most active actors (24 h)").Target.RawSql);
        Assert.Contains("FROM top_repos_24h", dashboard.Panel("Top repositories (24 h)").Target.RawSql);
    }

    [Fact]
    public void The_map_is_a_geomap_of_markers_looked_up_by_country_code_sized_and_coloured_by_events()
    {
        var map = LiveDashboard.Load().Panel("Events by country");

        var layer = Assert.Single(map.Json["options"]!["layers"]!.AsArray())!;
        Assert.Equal("markers", (string?)layer["type"]);
        Assert.Equal("lookup", (string?)layer["location"]!["mode"]);
        Assert.Equal("country_code", (string?)layer["location"]!["lookup"]);
        Assert.Equal("public/gazetteer/countries.json", (string?)layer["location"]!["gazetteer"]);
        Assert.Equal("events", (string?)layer["config"]!["style"]!["size"]!["field"]);
        Assert.Equal("events", (string?)layer["config"]!["style"]!["color"]!["field"]);
    }

    [Fact]
    public void The_variables_are_a_multi_select_event_type_with_All_and_include_bots_off_by_default()
    {
        var dashboard = LiveDashboard.Load();

        var eventType = dashboard.Variable("event_type");
        Assert.Equal("query", eventType.Type);
        Assert.True(eventType.Multi);
        Assert.True(eventType.IncludeAll);
        Assert.Equal("$__all", (string?)eventType.Json["current"]!["value"]!.AsArray().Single());

        var includeBots = dashboard.Variable("include_bots");
        Assert.Equal("custom", includeBots.Type);
        Assert.Equal(["false", "true"], includeBots.Query.Split(',').Select(option => option.Trim()));
        Assert.Equal("false", (string?)includeBots.Json["current"]!["value"]);
        Assert.Contains("$include_bots", dashboard.Panel("Most active actors (24 h)").Target.RawSql);
    }

    [Fact]
    public void The_datasource_reads_as_the_reader_with_its_password_from_the_environment_and_the_TimescaleDB_flag_as_a_boolean()
    {
        var datasource = (YamlMappingNode)Assert.Single(((YamlSequenceNode)Datasources(AppHostEnvironment)["datasources"]).Children);

        Assert.Equal("github-events-db", Scalar(datasource, "uid"));
        Assert.Equal("grafana-postgresql-datasource", Scalar(datasource, "type"));
        Assert.Equal("timescaledb:5432", Scalar(datasource, "url"));
        Assert.Equal("grafana_reader", Scalar(datasource, "user"));
        var jsonData = (YamlMappingNode)datasource["jsonData"];
        Assert.Equal("github-events", Scalar(jsonData, "database"));
        // The plugin reads the flag as a JSON boolean: a plain YAML true, not a string and not an environment value.
        var timescaleDb = (YamlScalarNode)jsonData["timescaledb"];
        Assert.Equal(YamlDotNet.Core.ScalarStyle.Plain, timescaleDb.Style);
        Assert.Equal("true", timescaleDb.Value);
        Assert.Equal(AppHostEnvironment["GITHUB_EVENTS_DB_READER_PASSWORD"], Scalar((YamlMappingNode)datasource["secureJsonData"], "password"));
        Assert.False(datasource.Children.ContainsKey("password"), "the password belongs in secureJsonData only");
    }

    [Fact]
    public void Every_environment_variable_the_provisioning_reads_is_one_the_AppHost_sets()
    {
        var files = Directory.GetFiles(LiveDashboard.ProvisioningDirectory, "*.yaml", SearchOption.AllDirectories);

        var read = files.SelectMany(file => Parse(file).AllNodes.OfType<YamlScalarNode>())
            .SelectMany(scalar => ProvisioningYaml.References(scalar.Value ?? ""))
            .Distinct();

        Assert.Equal(AppHostEnvironment.Keys.Order(), read.Order());
    }

    [Fact]
    public void The_dashboard_provider_loads_the_dashboard_folder_into_GitHub_Events()
    {
        var provider = (YamlMappingNode)Assert.Single(((YamlSequenceNode)Yaml(Path.Combine("dashboards", "github-events.yaml"), AppHostEnvironment)["providers"]).Children);

        Assert.Equal("GitHub Events", Scalar(provider, "folder"));
        Assert.Equal("file", Scalar(provider, "type"));
        // The AppHost mounts the provisioning folder at /etc/grafana/provisioning.
        var path = Scalar((YamlMappingNode)provider["options"], "path");
        Assert.StartsWith("/etc/grafana/provisioning/", path);
        var local = Path.Combine(LiveDashboard.ProvisioningDirectory, path["/etc/grafana/provisioning/".Length..]);
        Assert.Equal([LiveDashboard.FilePath], Directory.GetFiles(local, "*.json"));
        Assert.NotNull(JsonNode.Parse(File.ReadAllText(LiveDashboard.FilePath)));
    }

    private static YamlMappingNode Datasources(IReadOnlyDictionary<string, string> environment) =>
        Yaml(Path.Combine("datasources", "timescaledb.yaml"), environment);

    private static HashSet<string> DatasourceUids(YamlMappingNode datasources) =>
        ((YamlSequenceNode)datasources["datasources"]).Children.Select(node => Scalar((YamlMappingNode)node, "uid")).ToHashSet();

    private static YamlMappingNode Yaml(string relativePath, IReadOnlyDictionary<string, string> environment) => ProvisioningYaml.Load(relativePath, environment);

    private static YamlMappingNode Parse(string file) => ProvisioningYaml.Parse(file);

    private static string Scalar(YamlMappingNode node, string key) => ProvisioningYaml.Scalar(node, key);
}
