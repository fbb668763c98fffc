namespace GithubEvents.Tests.Grafana;

/// <summary>One provisioned alert rule, with its group's folder, as Grafana's file provisioning reads it.</summary>
internal sealed record AlertRule(
    string Folder,
    string Uid,
    string Title,
    string Condition,
    IReadOnlyList<AlertQuery> Data,
    string NoDataState,
    string ExecErrState,
    string For,
    IReadOnlyDictionary<string, string> Annotations,
    IReadOnlyDictionary<string, string> Labels)
{
    /// <summary>The rule's one SQL query.</summary>
    public AlertQuery Query => Data.Single(query => !query.IsExpression);

    /// <summary>The query's SQL as Grafana sends it: its macros expanded over its relative time range, ending now.</summary>
    public string ExpandedSql(bool timescaleDb)
    {
        var now = DateTime.UtcNow;
        var context = new QueryContext(now - Query.From, now - Query.To, TimeSpan.FromSeconds(1), timescaleDb, new Dictionary<string, VariableSelection>());
        return GrafanaMacros.Expand(Query.Field("rawSql")!, context);
    }

    public AlertQuery this[string refId] =>
        Data.SingleOrDefault(query => query.RefId == refId) ?? throw new Xunit.Sdk.XunitException($"{Uid}: no query '{refId}'.");

    /// <summary>
    /// What Grafana decides from the query's answer: the condition's threshold over the reduction of the query (the
    /// reducers the rules use), or no data when the query returned no rows.
    /// </summary>
    public (bool Firing, double? Value) Evaluate(PanelResult result)
    {
        var threshold = this[Condition];
        var reduce = this[threshold.Field("expression")!];
        Assert.Equal(Query.RefId, reduce.Field("expression"));
        var values = result.Rows.Select(row => Convert.ToDouble(Assert.Single(row) ?? throw new Xunit.Sdk.XunitException($"{Uid}: the query returned NULL"),
            System.Globalization.CultureInfo.InvariantCulture)).ToList();
        if (values.Count == 0)
        {
            return (false, null);
        }

        var reduced = reduce.Field("reducer") switch
        {
            "last" => values[^1],
            "max" => values.Max(),
            "min" => values.Min(),
            "sum" => values.Sum(),
            var other => throw new Xunit.Sdk.XunitException($"{Uid}: the test knows no reducer '{other}'."),
        };
        var (type, parameters) = threshold.Evaluator();
        var firing = type switch
        {
            "gt" => reduced > parameters[0],
            "lt" => reduced < parameters[0],
            "within_range" => reduced > parameters[0] && reduced < parameters[1],
            "outside_range" => reduced < parameters[0] || reduced > parameters[1],
            _ => throw new Xunit.Sdk.XunitException($"{Uid}: the test knows no evaluator '{type}'."),
        };
        return (firing, reduced);
    }
}
