using System.Text.Json.Nodes;

namespace GithubEvents.Tests.Grafana;

/// <summary>
/// The provisioning folder the AppHost mounts into Grafana (copied beside the tests), and the "GitHub Events - Live"
/// dashboard in it, read as Grafana reads the JSON.
/// </summary>
internal sealed class LiveDashboard
{
    public static readonly string ProvisioningDirectory = Path.Combine(AppContext.BaseDirectory, "Grafana", "provisioning");

    public static readonly string FilePath = Path.Combine(ProvisioningDirectory, "dashboards", "github-events", "github-events-live.json");

    private LiveDashboard(JsonObject json)
    {
        Json = json;
        // Rows only group the panels below them: they have no query.
        var all = json["panels"]!.AsArray().Select(node => node!.AsObject()).ToList();
        Panels = all.Where(node => (string?)node["type"] != "row").Select(Panel).ToList();
        Rows = all.Where(node => (string?)node["type"] == "row").Select(node => ((string)node["title"]!, (int)node["gridPos"]!["y"]!)).ToList();
        Variables = json["templating"]!["list"]!.AsArray().Select(node => Variable(node!.AsObject())).ToList();
    }

    public JsonObject Json { get; }

    public IReadOnlyList<DashboardPanel> Panels { get; }

    /// <summary>The rows' titles, and where each begins (its gridPos y).</summary>
    public IReadOnlyList<(string Title, int Y)> Rows { get; }

    public IReadOnlyList<DashboardVariable> Variables { get; }

    public static LiveDashboard Load() => new(JsonNode.Parse(File.ReadAllText(FilePath))!.AsObject());

    public DashboardPanel Panel(string title) =>
        Panels.SingleOrDefault(panel => panel.Title == title) ?? throw new Xunit.Sdk.XunitException($"The dashboard has no panel '{title}'.");

    public DashboardVariable Variable(string name) =>
        Variables.SingleOrDefault(variable => variable.Name == name) ?? throw new Xunit.Sdk.XunitException($"The dashboard has no variable '{name}'.");

    /// <summary>The dashboard's default range, "now-1h" to "now" style, as a width back from now.</summary>
    public TimeSpan DefaultRange()
    {
        Assert.Equal("now", (string?)Json["time"]!["to"]);
        var from = (string)Json["time"]!["from"]!;
        Assert.StartsWith("now-", from);
        return GrafanaMacros.ParseInterval(from["now-".Length..]);
    }

    private static DashboardPanel Panel(JsonObject json) => new(
        (string)json["title"]!,
        (string)json["type"]!,
        (string?)json["datasource"]?["uid"],
        (string?)json["timeFrom"],
        (string?)json["interval"],
        (json["targets"]?.AsArray() ?? []).Select(node => new PanelTarget(
            (string)node!["refId"]!,
            (string?)node["datasource"]?["uid"],
            (string)node["format"]!,
            (string)node["rawSql"]!)).ToList(),
        json);

    private static DashboardVariable Variable(JsonObject json) => new(
        (string)json["name"]!,
        (string)json["type"]!,
        (string)json["query"]!,
        (bool?)json["multi"] ?? false,
        (bool?)json["includeAll"] ?? false,
        (string?)json["allValue"],
        (string?)json["datasource"]?["uid"],
        json);
}
