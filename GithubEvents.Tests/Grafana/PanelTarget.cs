namespace GithubEvents.Tests.Grafana;

internal sealed record PanelTarget(string RefId, string? DatasourceUid, string Format, string RawSql);
