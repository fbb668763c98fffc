using GithubEvents.Enrich.Storage;

namespace GithubEvents.Enrich.Filling;

/// <summary>Reads <c>v_enrichment_coverage</c>: how much of the recent events has a profile and a country.</summary>
public sealed class CoverageReader(WriterDataSource writer)
{
    public async Task<IReadOnlyList<Coverage>> ReadAsync(CancellationToken cancellationToken)
    {
        await using var command = writer.DataSource.CreateCommand("SELECT period, events, profile_share, country_share FROM v_enrichment_coverage");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var periods = new List<Coverage>();
        while (await reader.ReadAsync(cancellationToken))
        {
            periods.Add(new Coverage(reader.GetString(0), reader.GetInt64(1), reader.GetDouble(2), reader.GetDouble(3)));
        }

        return periods;
    }
}
