using System.Diagnostics.Metrics;

namespace GithubEvents.Enrich.Restoring;

/// <summary>The restorations' instruments, on Enrich's meter.</summary>
public sealed class RestorationMetrics(EnrichMeter meter, RestorationBudget budget)
{
    private readonly Counter<long> _answered = meter.Counter("enrich.restorations.answered", "{object}", "Commits and pull requests GitHub answered about, by kind (commit, pull_request) and outcome (found, not_found)");
    private readonly Counter<long> _rows = meter.Counter("enrich.restorations.rows", "{event}", "Rows whose trimmed payload was restored, or marked as not found, by outcome");

    // Read by the meter's listeners whenever they collect.
    private readonly ObservableGauge<int> _pointsSpent = meter.Meter.CreateObservableGauge("enrich.restorations.points_spent", () => budget.Spent, "{point}", "GraphQL points the restorations spent in the current window, within Restoration:GraphQLBudgetShare");

    public void Answered(IEnumerable<RestoredObject> objects)
    {
        foreach (var group in objects.GroupBy(o => (o.Target.Kind, Found: o.Value is not null)))
        {
            _answered.Add(group.Count(), new("kind", group.Key.Kind), new("outcome", group.Key.Found ? "found" : "not_found"));
        }
    }

    public void Rows(IEnumerable<RestoredRow> rows)
    {
        foreach (var group in rows.GroupBy(row => row.Paths.Count > 0))
        {
            _rows.Add(group.Count(), new KeyValuePair<string, object?>("outcome", group.Key ? "restored" : "not_found"));
        }
    }
}
