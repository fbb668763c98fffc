using System.Text.Json.Nodes;

namespace GithubEvents.Tests.Grafana;

internal sealed record DashboardVariable(string Name, string Type, string Query, bool Multi, bool IncludeAll, string? AllValue, string? DatasourceUid, JsonObject Json);
