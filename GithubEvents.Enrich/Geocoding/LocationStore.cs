using GithubEvents.Enrich.Storage;
using Npgsql;

namespace GithubEvents.Enrich.Geocoding;

/// <summary>
/// The <c>locations</c> table: every answer by key, negative ones too; the actors' locations it lacks; and the locations
/// Nominatim refused, set aside in <c>location_refusals</c>.
/// </summary>
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

    /// <summary>Sets a location aside after a refusal, for a back-off that doubles with its refusals; returns how many it had.</summary>
    public async Task<int> RefuseAsync(string key, string reason, TimeSpan firstBackoff, TimeSpan maxBackoff, CancellationToken cancellationToken)
    {
        await using var command = writer.DataSource.CreateCommand(
            """
            INSERT INTO location_refusals AS r (key, refusals, retry_at, reason) VALUES (@key, 1, clock_timestamp() + @first, @reason)
            ON CONFLICT (key) DO UPDATE SET refusals = r.refusals + 1, reason = excluded.reason,
                retry_at = clock_timestamp() + least(@max, @first * power(2, least(r.refusals, 30)))
            RETURNING refusals
            """);
        command.Parameters.AddWithValue("key", key);
        command.Parameters.AddWithValue("reason", reason);
        command.Parameters.AddWithValue("first", firstBackoff);
        command.Parameters.AddWithValue("max", maxBackoff);
        return (int)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>Whether the location is set aside now, its back-off not over.</summary>
    public async Task<bool> IsSetAsideAsync(string key, CancellationToken cancellationToken)
    {
        await using var command = writer.DataSource.CreateCommand("SELECT EXISTS (SELECT FROM location_refusals WHERE key = @key AND retry_at > clock_timestamp())");
        command.Parameters.AddWithValue("key", key);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>
    /// Locations of actors (bots excepted) that the locations table has no answer for and that are not set aside, the
    /// most common first, each with one of its spellings; with <paramref name="retryUnresolved"/>, also those the
    /// gazetteer alone could not place.
    /// </summary>
    public async Task<List<(string Location, string Key)>> UnplacedLocationsAsync(bool retryUnresolved, int limit, CancellationToken cancellationToken)
    {
        await using var command = writer.DataSource.CreateCommand(
            """
            SELECT min(a.location), a.location_key
            FROM actors a LEFT JOIN locations l ON l.key = a.location_key
            WHERE a.location_key IS NOT NULL AND NOT a.is_bot AND NOT a.not_found
              AND (l.key IS NULL OR (@retry_unresolved AND l.provider = @unresolved))
              AND NOT EXISTS (SELECT FROM location_refusals r WHERE r.key = a.location_key AND r.retry_at > clock_timestamp())
            GROUP BY a.location_key
            ORDER BY count(*) DESC, a.location_key
            LIMIT @limit
            """);
        command.Parameters.AddWithValue("retry_unresolved", retryUnresolved);
        command.Parameters.AddWithValue("unresolved", Providers.Unresolved);
        command.Parameters.AddWithValue("limit", limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var locations = new List<(string, string)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            locations.Add((reader.GetString(0), reader.GetString(1)));
        }

        return locations;
    }
}
