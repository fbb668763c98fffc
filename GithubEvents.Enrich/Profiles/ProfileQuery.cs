using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace GithubEvents.Enrich.Profiles;

/// <summary>
/// The GraphQL query that looks up many accounts at once, one aliased <c>repositoryOwner(login:)</c> each (users and
/// organisations alike), with the budget it cost; and the parsing of its answer. No I/O.
/// </summary>
public static class ProfileQuery
{
    private const string OwnerFragment =
        """
        fragment owner on RepositoryOwner {
          __typename
          login
          ... on User { databaseId name company location createdAt followers { totalCount } publicRepos: repositories(privacy: PUBLIC, ownerAffiliations: OWNER) { totalCount } }
          ... on Organization { databaseId name location createdAt publicRepos: repositories(privacy: PUBLIC) { totalCount } }
        }
        """;

    /// <summary>The request body: logins travel as variables, so no login can change the query.</summary>
    public static string Build(IReadOnlyList<string> logins)
    {
        var query = new StringBuilder("query Profiles(");
        query.AppendJoin(", ", logins.Select((_, i) => $"$l{i}: String!"));
        query.Append(") {\n  rateLimit { limit cost remaining resetAt }\n");
        var variables = new JsonObject();
        for (var i = 0; i < logins.Count; i++)
        {
            query.Append(CultureInfo.InvariantCulture, $"  a{i}: repositoryOwner(login: $l{i}) {{ ...owner }}\n");
            variables[$"l{i}"] = logins[i];
        }

        query.Append("}\n").Append(OwnerFragment);
        return new JsonObject { ["query"] = query.ToString(), ["variables"] = variables }.ToJsonString();
    }

    /// <exception cref="JsonException">The body is not a GraphQL answer to the query.</exception>
    /// <exception cref="KeyNotFoundException">A member of the answer is missing.</exception>
    /// <exception cref="InvalidOperationException">A value of the answer is of another kind.</exception>
    /// <exception cref="FormatException">A value of the answer is out of range or not a date.</exception>
    public static ProfileBatch Parse(ReadOnlySpan<byte> body, IReadOnlyList<string> logins)
    {
        using var document = JsonDocument.Parse(body.ToArray());
        var root = document.RootElement;
        var rateLimited = root.TryGetProperty("errors", out var errors)
            && errors.ValueKind == JsonValueKind.Array
            && errors.EnumerateArray().Any(error => ErrorType(error) == "RATE_LIMITED");
        if (!root.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object)
        {
            if (rateLimited)
            {
                return new ProfileBatch(new Dictionary<string, GitHubProfile?>(), null, RateLimited: true);
            }

            throw new JsonException($"The answer has no data: {FirstErrorMessage(root) ?? "no errors either"}");
        }

        var profiles = new Dictionary<string, GitHubProfile?>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < logins.Count; i++)
        {
            // Missing or null: no account by that login (GitHub adds a NOT_FOUND error for user(login:), not always for repositoryOwner).
            profiles[logins[i]] = data.TryGetProperty($"a{i}", out var owner) && owner.ValueKind == JsonValueKind.Object
                ? ReadOwner(owner)
                : null;
        }

        return new ProfileBatch(profiles, GraphQLRateLimit.Read(data), rateLimited);
    }

    private static GitHubProfile ReadOwner(JsonElement owner)
    {
        var type = String(owner, "__typename") switch
        {
            "Organization" => ActorType.Organization,
            "Bot" => ActorType.Bot,
            "User" => ActorType.User,
            var other => throw new JsonException($"Unexpected owner type '{other}'."),
        };
        var login = String(owner, "login") ?? throw new JsonException("An owner without login.");
        var id = owner.TryGetProperty("databaseId", out var databaseId) && databaseId.ValueKind == JsonValueKind.Number
            ? databaseId.GetInt64()
            : throw new JsonException($"Owner '{login}' has no databaseId.");
        return new GitHubProfile(
            id,
            login,
            GitHubProfile.TypeOf(login, type),
            String(owner, "name"),
            String(owner, "company"),
            String(owner, "location"),
            TotalCount(owner, "publicRepos"),
            TotalCount(owner, "followers"),
            owner.TryGetProperty("createdAt", out var created) && created.ValueKind == JsonValueKind.String ? created.GetDateTimeOffset() : null);
    }

    /// <summary>The member's string, or null when it is missing or not a string.</summary>
    internal static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static int? TotalCount(JsonElement element, string name) =>
        element.TryGetProperty(name, out var connection) && connection.ValueKind == JsonValueKind.Object
            && connection.TryGetProperty("totalCount", out var count) && count.ValueKind == JsonValueKind.Number
            ? count.GetInt32()
            : null;

    private static string? ErrorType(JsonElement error) =>
        error.ValueKind == JsonValueKind.Object && error.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String ? type.GetString() : null;

    private static string? FirstErrorMessage(JsonElement root) =>
        root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array && errors.GetArrayLength() > 0
            && errors[0].TryGetProperty("message", out var message)
            ? message.ToString()
            : null;
}
