using GithubEvents.Enrich.Geocoding;
using GithubEvents.Enrich.Storage;
using Npgsql;
using NpgsqlTypes;

namespace GithubEvents.Enrich.Profiles;

/// <summary>The actors table (see <c>0005_profiles.sql</c>), the recent events' actors and the backlog's.</summary>
public sealed class ActorStore(WriterDataSource writer)
{
    /// <summary>Every actor of the events since <paramref name="since"/>, the most active (most events) first.</summary>
    public async Task<List<PendingActor>> RecentActorsAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var command = writer.DataSource.CreateCommand(
            "SELECT actor_id, actor FROM events WHERE time >= @since GROUP BY actor_id, actor ORDER BY count(*) DESC, actor_id");
        command.Parameters.AddWithValue("since", since);
        return await ReadActorsAsync(command, cancellationToken);
    }

    /// <summary>Actors of <c>actor_backlog</c> never looked up, the longest queued first.</summary>
    public async Task<List<PendingActor>> BacklogActorsAsync(int limit, CancellationToken cancellationToken)
    {
        await using var command = writer.DataSource.CreateCommand(
            """
            SELECT b.actor_id, b.login FROM actor_backlog b
            WHERE b.filled_at IS NULL AND NOT EXISTS (SELECT 1 FROM actors a WHERE a.id = b.actor_id)
            ORDER BY b.queued_at, b.actor_id LIMIT @limit
            """);
        command.Parameters.AddWithValue("limit", limit);
        return await ReadActorsAsync(command, cancellationToken);
    }

    /// <summary>When each of these actors was last looked up, and the ETag of that answer.</summary>
    public async Task<Dictionary<long, (DateTimeOffset FetchedAt, string? ETag)>> FindAsync(long[] ids, CancellationToken cancellationToken)
    {
        await using var command = writer.DataSource.CreateCommand("SELECT id, fetched_at, etag FROM actors WHERE id = ANY(@ids)");
        command.Parameters.AddWithValue("ids", ids);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var found = new Dictionary<long, (DateTimeOffset, string?)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            found[reader.GetInt64(0)] = (reader.GetFieldValue<DateTimeOffset>(1), reader.IsDBNull(2) ? null : reader.GetString(2));
        }

        return found;
    }

    public async Task SaveAsync(IReadOnlyCollection<ActorLookup> lookups, DateTimeOffset fetchedAt, CancellationToken cancellationToken)
    {
        if (lookups.Count == 0)
        {
            return;
        }

        await using var command = writer.DataSource.CreateCommand(
            """
            INSERT INTO actors (id, login, type, name, company, location, location_key, public_repos, followers, created_at, etag, not_found, fetched_at)
            SELECT *, @fetched_at FROM unnest(@id, @login, @type, @name, @company, @location, @location_key, @public_repos, @followers, @created_at, @etag, @not_found)
            ON CONFLICT (id) DO UPDATE SET
                login = excluded.login, type = excluded.type, name = excluded.name, company = excluded.company,
                location = excluded.location, location_key = excluded.location_key, public_repos = excluded.public_repos,
                followers = excluded.followers, created_at = excluded.created_at, etag = excluded.etag,
                not_found = excluded.not_found, fetched_at = excluded.fetched_at
            """);
        var parameters = command.Parameters;
        parameters.AddWithValue("fetched_at", fetchedAt);
        Add(parameters, "id", NpgsqlDbType.Bigint, lookups.Select(l => l.Id));
        Add(parameters, "login", NpgsqlDbType.Text, lookups.Select(l => l.Profile?.Login ?? l.Login));
        Add(parameters, "type", NpgsqlDbType.Text, lookups.Select(l => l.Profile?.Type.ToString()));
        Add(parameters, "name", NpgsqlDbType.Text, lookups.Select(l => l.Profile?.Name));
        Add(parameters, "company", NpgsqlDbType.Text, lookups.Select(l => l.Profile?.Company));
        Add(parameters, "location", NpgsqlDbType.Text, lookups.Select(l => l.Profile?.Location));
        // Bots are never geocoded: they get no key to join a place with.
        Add(parameters, "location_key", NpgsqlDbType.Text, lookups.Select(l => l.Profile is { Type: not ActorType.Bot } profile ? LocationKey.Normalize(profile.Location) : null));
        Add(parameters, "public_repos", NpgsqlDbType.Integer, lookups.Select(l => l.Profile?.PublicRepos));
        Add(parameters, "followers", NpgsqlDbType.Integer, lookups.Select(l => l.Profile?.Followers));
        Add(parameters, "created_at", NpgsqlDbType.TimestampTz, lookups.Select(l => l.Profile?.CreatedAt?.UtcDateTime));
        Add(parameters, "etag", NpgsqlDbType.Text, lookups.Select(l => l.ETag));
        Add(parameters, "not_found", NpgsqlDbType.Boolean, lookups.Select(l => l.Profile is null));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>A 304: the stored profile is still GitHub's, as of now.</summary>
    public async Task TouchAsync(long id, DateTimeOffset fetchedAt, CancellationToken cancellationToken)
    {
        await using var command = writer.DataSource.CreateCommand("UPDATE actors SET fetched_at = @fetched_at WHERE id = @id");
        command.Parameters.AddWithValue("fetched_at", fetchedAt);
        command.Parameters.AddWithValue("id", id);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<List<PendingActor>> ReadActorsAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var actors = new List<PendingActor>();
        while (await reader.ReadAsync(cancellationToken))
        {
            actors.Add(new PendingActor(reader.GetInt64(0), reader.GetString(1), ETag: null));
        }

        return actors;
    }

    private static void Add<T>(NpgsqlParameterCollection parameters, string name, NpgsqlDbType type, IEnumerable<T> values) =>
        parameters.Add(new NpgsqlParameter(name, NpgsqlDbType.Array | type) { Value = values.ToArray() });
}
