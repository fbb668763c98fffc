namespace GithubEvents.Tests.Grafana;

/// <summary>What one panel query returned, and the database's <c>now()</c> in the same transaction.</summary>
internal sealed record PanelResult(IReadOnlyList<string> Columns, IReadOnlyList<object?[]> Rows, DateTime DatabaseNow)
{
    public int Index(string column)
    {
        var index = Columns.ToList().IndexOf(column);
        return index >= 0 ? index : throw new Xunit.Sdk.XunitException($"No column '{column}' among {string.Join(", ", Columns)}.");
    }

    public IEnumerable<object?> Values(string column) => Rows.Select(row => row[Index(column)]);
}
