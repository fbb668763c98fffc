using System.Text.Json.Nodes;

namespace GithubEvents.Tests.Grafana;

internal sealed record DashboardPanel(string Title, string Type, string? DatasourceUid, string? TimeFrom, string? MinInterval, IReadOnlyList<PanelTarget> Targets, JsonObject Json)
{
    public PanelTarget Target => Targets.Single();
}
