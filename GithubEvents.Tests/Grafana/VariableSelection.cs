namespace GithubEvents.Tests.Grafana;

/// <summary>A dashboard variable's current selection, with the settings that decide how Grafana formats it.</summary>
internal sealed record VariableSelection(IReadOnlyList<string> Values, bool Multi = false, bool IncludeAll = false, string? AllValue = null, bool IsAll = false);
