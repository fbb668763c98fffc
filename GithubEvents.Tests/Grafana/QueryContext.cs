namespace GithubEvents.Tests.Grafana;

/// <summary>What Grafana sends with one panel query: the time range, the interval, the datasource's TimescaleDB flag and the variables.</summary>
internal sealed record QueryContext(DateTime From, DateTime To, TimeSpan Interval, bool TimescaleDb, IReadOnlyDictionary<string, VariableSelection> Variables);
