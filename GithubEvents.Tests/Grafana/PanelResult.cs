using Npgsql;

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

    /// <summary>Runs <paramref name="sql"/> in the transaction, with the transaction's <c>now()</c>.</summary>
    public static async Task<PanelResult> ReadAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        DateTime databaseNow;
        await using (var clock = new NpgsqlCommand("SELECT now()", connection, transaction))
        {
            databaseNow = (DateTime)(await clock.ExecuteScalarAsync(cancellationToken))!;
        }

        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var columns = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToList();
        return new PanelResult(columns, await Sql.ReadRowsAsync(reader, cancellationToken), databaseNow);
    }
}
