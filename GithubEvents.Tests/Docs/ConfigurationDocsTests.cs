using GithubEvents.ServiceDefaults;
using GithubEvents.Tests.AppHost;

namespace GithubEvents.Tests.Docs;

/// <summary>
/// docs/configuration.md against the code: every key of every options class has its row with the default the code
/// gives it, and every row names a key the code reads. A setting added, renamed or given another default without its
/// row fails here.
/// </summary>
public sealed class ConfigurationDocsTests
{
    private const string Header = "| Key | Default | What it does | Read by |";

    // Settings read straight from configuration rather than through an options class: the key, the file that reads it,
    // and what that file must still say for the key to be read (each a piece of its code).
    private static readonly IReadOnlyList<(string Key, string File, string[] Code)> ReadDirectly =
    [
        ("AppHost:Mode", "GithubEvents.AppHost/Placement/PlacementPlan.cs", ["\"AppHost:Mode\""]),
        ("Enrich:Replicas", "GithubEvents.AppHost/Program.cs", ["WithReplicasFrom(\"Enrich:Replicas\")"]),
        ("Parameters:github-token", "GithubEvents.AppHost/Program.cs", ["\"Parameters:github-token\""]),
        ("Parameters:geocoding-user-agent", "GithubEvents.AppHost/Program.cs", ["\"Parameters:geocoding-user-agent\""]),
        ("Parameters:archive-s3-access-key-id", "GithubEvents.AppHost/Program.cs", ["\"Parameters:archive-s3-access-key-id\"", "\"Archive__S3__AccessKeyId\""]),
        ("Parameters:archive-s3-secret-access-key", "GithubEvents.AppHost/Program.cs", ["\"Parameters:archive-s3-secret-access-key\"", "\"Archive__S3__SecretAccessKey\""]),
        ("Parameters:timescaledb-password", "GithubEvents.AppHost/Database/EventDatabaseExtensions.cs", ["\"timescaledb\"", "$\"{server}-password\""]),
        ("Parameters:timescaledb-reader-password", "GithubEvents.AppHost/Database/EventDatabaseExtensions.cs", ["\"timescaledb\"", "$\"{server}-reader-password\""]),
        ("Parameters:timescaledb-writer-password", "GithubEvents.AppHost/Database/EventDatabaseExtensions.cs", ["\"timescaledb\"", "$\"{server}-writer-password\""]),
        ("Parameters:postgres-password", "GithubEvents.AppHost/Database/EventDatabaseExtensions.cs", ["LocalServerName = \"postgres\"", "$\"{server}-password\""]),
        ("Parameters:postgres-reader-password", "GithubEvents.AppHost/Database/EventDatabaseExtensions.cs", ["LocalServerName = \"postgres\"", "$\"{server}-reader-password\""]),
        ("Parameters:postgres-writer-password", "GithubEvents.AppHost/Database/EventDatabaseExtensions.cs", ["LocalServerName = \"postgres\"", "$\"{server}-writer-password\""]),
        ("Parameters:grafana-admin-password", "GithubEvents.AppHost/Grafana/EventDashboardsExtensions.cs", ["$\"{name}-admin-password\""]),
        ("Parameters:grafana-database-password", "GithubEvents.AppHost/Grafana/DatasourceLogin.cs", ["$\"{grafanaName}-database-password\""]),
        ("Parameters:grafana-alert-webhook-url", "GithubEvents.AppHost/Grafana/AlertContactPoints.cs", ["$\"{name}-alert-webhook-url\""]),
        ("Parameters:grafana-smtp-password", "GithubEvents.AppHost/Grafana/AlertContactPoints.cs", ["$\"{name}-smtp-password\""]),
        ("Grafana:Alerts:Email", "GithubEvents.AppHost/Grafana/AlertContactPoints.cs", ["EmailSetting = \"Grafana:Alerts:Email\""]),
        ("Grafana:Smtp:Host", "GithubEvents.AppHost/Grafana/AlertContactPoints.cs", ["SmtpHostSetting = \"Grafana:Smtp:Host\""]),
        ("Grafana:Smtp:User", "GithubEvents.AppHost/Grafana/AlertContactPoints.cs", ["SmtpUserSetting = \"Grafana:Smtp:User\""]),
        ("Grafana:Smtp:From", "GithubEvents.AppHost/Grafana/AlertContactPoints.cs", ["SmtpFromSetting = \"Grafana:Smtp:From\""]),
        ("ConnectionStrings:kafka", "GithubEvents.AppHost/Program.cs", ["AddEventBroker(\"kafka\""]),
        ("ConnectionStrings:github-events", "GithubEvents.AppHost/Program.cs", ["AddEventDatabase(\"github-events\""]),
        ("ConnectionStrings:github-events-reader", "GithubEvents.AppHost/Grafana/DatasourceLogin.cs", ["$\"{name}-reader\""]),
        ("Grafana:AllowServiceLogin", "GithubEvents.AppHost/Grafana/DatasourceLogin.cs", ["AllowServiceLoginSetting = \"Grafana:AllowServiceLogin\"", "configuration[AllowServiceLoginSetting]"]),
        ("ASPIRE_CONTAINER_RUNTIME", "GithubEvents.AppHost/ContainerRuntimeCheck.cs", ["configuration[\"ASPIRE_CONTAINER_RUNTIME\"]"]),
        ("Archive:ClaimSize", "GithubEvents.AppHost/Archive/EventArchiveExtensions.cs", ["ClaimSizeSetting = \"Archive:ClaimSize\"", "configuration[ClaimSizeSetting]"]),
        ("OTEL_EXPORTER_OTLP_ENDPOINT", "GithubEvents.ServiceDefaults/Extensions.cs", ["Configuration[\"OTEL_EXPORTER_OTLP_ENDPOINT\"]"]),
    ];

    private static readonly Lazy<IReadOnlyList<CodeSetting>> Code = new(SettingsInCode.All);

    private static readonly Lazy<IReadOnlyList<DocRow>> Rows = new(() => DocRow.Parse(File.ReadAllLines(DocPath())));

    [Fact]
    public void Every_options_class_is_bound_to_a_section()
    {
        var classes = SettingsInCode.Classes();

        Assert.Contains(classes, type => type.Name == "StorageOptions");
        Assert.Empty(classes.Where(type => SettingsInCode.Sections(type).Count == 0)
            .Select(type => $"{type.FullName} names no section: give it a SectionName constant, or list its sections in SettingsInCode."));
    }

    [Fact]
    public void Every_setting_in_the_code_has_a_row_with_its_default_and_the_services_that_read_it()
    {
        var rows = Rows.Value.ToLookup(row => row.Key, StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var setting in Code.Value.GroupBy(setting => setting.Key, StringComparer.Ordinal))
        {
            var expectedDefault = ExpectedDefault(setting);
            var services = setting.Select(s => s.Service).OfType<string>().Distinct().ToList();
            if (!rows[setting.Key].Any())
            {
                problems.Add($"{setting.Key} ({string.Join(", ", setting.Select(s => s.Source).Distinct())}) has no row in docs/configuration.md: " +
                             $"| `{setting.Key}` | {expectedDefault} | ... | {string.Join(", ", services.DefaultIfEmpty("..."))} |");
                continue;
            }

            var row = rows[setting.Key].First();
            if (!setting.First().IsMap && row.Default != expectedDefault)
            {
                problems.Add($"docs/configuration.md line {row.Line}: {setting.Key}'s default is {expectedDefault} in the code, not {row.Default}.");
            }

            if (services.Except(row.ReadBy).ToList() is { Count: > 0 } missing)
            {
                problems.Add($"docs/configuration.md line {row.Line}: {setting.Key} is read by {string.Join(", ", missing)} too.");
            }
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void Every_row_names_a_setting_the_code_reads()
    {
        var keys = Code.Value.Select(setting => setting.Key).ToHashSet(StringComparer.Ordinal);
        var maps = Code.Value.Where(setting => setting.IsMap).Select(setting => setting.Key.TrimEnd('*')).ToList();
        var problems = new List<string>();
        foreach (var row in Rows.Value)
        {
            var known = keys.Contains(row.Key)
                        || maps.Any(map => row.Key.StartsWith(map, StringComparison.Ordinal))
                        || ReadDirectly.Any(direct => direct.Key == row.Key);
            if (!known)
            {
                problems.Add($"docs/configuration.md line {row.Line}: no options class has {row.Key}, and it is not among the settings read directly (ConfigurationDocsTests.ReadDirectly).");
            }

            if (row.ReadBy.Count == 0 || row.ReadBy.Except(SettingsInCode.Services).ToList() is { Count: > 0 })
            {
                problems.Add($"docs/configuration.md line {row.Line}: 'Read by' must list some of {string.Join(", ", SettingsInCode.Services)}, separated by commas.");
            }
        }

        problems.AddRange(Rows.Value.GroupBy(row => row.Key, StringComparer.Ordinal).Where(group => group.Count() > 1)
            .Select(group => $"docs/configuration.md has {group.Count()} rows for {group.Key}: lines {string.Join(", ", group.Select(row => row.Line))}."));
        Assert.True(Rows.Value.Count > 0, $"docs/configuration.md has no table under the header {Header}");
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void Settings_read_without_an_options_class_have_their_rows_and_are_still_read()
    {
        var root = AppHostProcess.RepositoryRoot();
        var problems = new List<string>();
        foreach (var (key, file, code) in ReadDirectly)
        {
            var text = File.ReadAllText(Path.Combine(root, file));
            problems.AddRange(code.Where(piece => !text.Contains(piece, StringComparison.Ordinal))
                .Select(piece => $"{file} no longer says {piece}: is {key} still read? Update its row and ConfigurationDocsTests.ReadDirectly."));
            if (!Rows.Value.Any(row => row.Key == key))
            {
                problems.Add($"{key} has no row in docs/configuration.md.");
            }
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void The_moved_keys_table_lists_every_renamed_setting()
    {
        var lines = File.ReadAllLines(DocPath());
        var header = Array.IndexOf(lines, "| Old key | New key |");
        Assert.True(header >= 0, "docs/configuration.md has no table under the header | Old key | New key |.");

        var documented = lines.Skip(header + 2).TakeWhile(line => line.StartsWith('|'))
            .Select(line => DocRow.Cells(line))
            .Select(cells => (Old: cells[0].Trim('`'), New: cells[1].Trim('`')))
            .ToList();

        Assert.Equal(RenamedSettings.All.OrderBy(rename => rename.Old, StringComparer.Ordinal), documented.OrderBy(rename => rename.Old, StringComparer.Ordinal));
    }

    [Fact]
    public void Defaults_are_written_in_the_form_configuration_takes()
    {
        Assert.Equal("`1.00:00:00`", SettingsInCode.Render(TimeSpan.FromDays(1)));
        Assert.Equal("`00:00:00.5`", SettingsInCode.Render(TimeSpan.FromMilliseconds(500)));
        Assert.Equal("`00:01:00`", SettingsInCode.Render(TimeSpan.FromMinutes(1)));
        Assert.Equal("`0.45`", SettingsInCode.Render(0.45));
        Assert.Equal("`false`", SettingsInCode.Render(false));
        Assert.Equal("`https://api.github.com`", SettingsInCode.Render(new Uri("https://api.github.com")));
        Assert.Equal(SettingsInCode.None, SettingsInCode.Render(null));
        Assert.Equal(SettingsInCode.None, SettingsInCode.Render(new List<string>()));
        Assert.Equal("`a`, `b`", SettingsInCode.Render(new List<string> { "a", "b" }));
    }

    // One default for every service that reads the key; where they differ, each with the services that have it.
    private static string ExpectedDefault(IEnumerable<CodeSetting> setting)
    {
        var byValue = setting.GroupBy(s => s.Default, StringComparer.Ordinal).ToList();
        return byValue.Count == 1
            ? byValue[0].Key
            : string.Join(", ", byValue
                .OrderBy(group => group.Min(s => Rank(s.Service)))
                .Select(group => $"{group.Key} ({string.Join(", ", group.Select(s => s.Service).OfType<string>().Distinct().OrderBy(Rank))})"));
    }

    private static int Rank(string? service) => service is null ? int.MaxValue : SettingsInCode.Services.ToList().IndexOf(service);

    private static string DocPath() => Path.Combine(AppHostProcess.RepositoryRoot(), "docs", "configuration.md");

    /// <summary>A row of a settings table: <c>| `Key` | default | what it does | Ingest, Enrich |</c>.</summary>
    private sealed record DocRow(int Line, string Key, string Default, IReadOnlyList<string> ReadBy)
    {
        public static IReadOnlyList<DocRow> Parse(string[] lines)
        {
            var rows = new List<DocRow>();
            for (var i = 0; i < lines.Length; i++)
            {
                if (lines[i] != Header)
                {
                    continue;
                }

                for (i += 2; i < lines.Length && lines[i].StartsWith('|'); i++)
                {
                    var cells = Cells(lines[i]);
                    Assert.True(cells.Count == 4 && cells[0] is ['`', .., '`'],
                        $"docs/configuration.md line {i + 1}: a row of a settings table has four cells, the first a key in backticks: {lines[i]}");
                    rows.Add(new DocRow(i + 1, cells[0].Trim('`'), cells[1],
                        cells[3].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)));
                }
            }

            return rows;
        }

        public static IReadOnlyList<string> Cells(string line) =>
            line.Trim().Trim('|').Split('|').Select(cell => cell.Trim()).ToList();
    }
}
