using GithubEvents.Enrich.Storage;
using Npgsql;

namespace GithubEvents.Enrich.Geocoding;

/// <summary>The <c>locations</c> table: every answer by key, negative ones too.</summary>
public sealed class LocationStore(WriterDataSource writer)
{
    public async Task<GeocodeResult?> FindAsync(string key, CancellationToken cancellationToken)
    {
        await using var command = writer.DataSource.CreateCommand("SELECT country, country_code, lat, lng, provider FROM locations WHERE key = @key");
        command.Parameters.AddWithValue("key", key);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        var place = reader.IsDBNull(1) ? null : new Place(reader.GetString(0), reader.GetString(1), reader.GetDouble(2), reader.GetDouble(3));
        return new GeocodeResult(key, place, reader.GetString(4));
    }

    public async Task SaveAsync(GeocodeResult result, CancellationToken cancellationToken)
    {
        await using var command = writer.DataSource.CreateCommand(
            """
            INSERT INTO locations (key, country, country_code, lat, lng, provider, resolved_at)
            VALUES (@key, @country, @country_code, @lat, @lng, @provider, now())
            ON CONFLICT (key) DO UPDATE SET country = excluded.country, country_code = excluded.country_code,
                lat = excluded.lat, lng = excluded.lng, provider = excluded.provider, resolved_at = excluded.resolved_at
            """);
        command.Parameters.AddWithValue("key", result.Key);
        command.Parameters.Add(new NpgsqlParameter<string?>("country", result.Place?.Country));
        command.Parameters.Add(new NpgsqlParameter<string?>("country_code", result.Place?.CountryCode));
        command.Parameters.Add(new NpgsqlParameter<double?>("lat", result.Place?.Latitude));
        command.Parameters.Add(new NpgsqlParameter<double?>("lng", result.Place?.Longitude));
        command.Parameters.AddWithValue("provider", result.Provider);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
