using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace GithubEvents.Tests.Fakes;

/// <summary>The fake's GraphQL endpoint and its generated accounts.</summary>
public sealed partial class FakeGitHub
{
    private static readonly Lazy<string> UserTemplate = new(() => UpstreamFixtures.GitHubRecording("NamedUser.setUp.txt").Body);

    /// <summary>An account in the shape of the recorded <c>GET /users/jacquev6</c>, with the given fields.</summary>
    public void AddGeneratedUser(long id, string login, string type = "User", string? location = null, string? company = null, int publicRepos = 3, int followers = 7)
    {
        var user = JsonNode.Parse(UserTemplate.Value)!.AsObject();
        user["id"] = id;
        user["login"] = login;
        user["node_id"] = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"04:User{id}"));
        user["type"] = type;
        user["name"] = $"{login} (generated)";
        user["location"] = location;
        user["company"] = company;
        user["public_repos"] = publicRepos;
        user["followers"] = followers;
        user["email"] = null;
        user["blog"] = "";
        foreach (var (name, value) in user.ToList())
        {
            if (value is JsonValue url && url.TryGetValue<string>(out var text) && text.Contains("jacquev6", StringComparison.Ordinal))
            {
                user[name] = text.Replace("jacquev6", login, StringComparison.Ordinal).Replace("327146", id.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
            }
        }

        AddUser(user.ToJsonString());
    }

    /// <summary>The logins asked for in one GraphQL request the fake received.</summary>
    public static IReadOnlyList<string> GraphQLLogins(RecordedRequest request)
    {
        using var body = JsonDocument.Parse(request.Body);
        var variables = body.RootElement.TryGetProperty("variables", out var v) && v.ValueKind == JsonValueKind.Object ? v : default;
        return Lookups(body.RootElement.GetProperty("query").GetString()!)
            .Select(lookup => variables.GetProperty(lookup.Variable).GetString()!)
            .ToList();
    }

    private async Task ServeGraphQLAsync(HttpContext context)
    {
        if (context.Request.Headers.Authorization.Count == 0)
        {
            context.Response.StatusCode = 401;
            context.Response.ContentType = "application/json; charset=utf-8";
            await context.Response.WriteAsync("""{"message":"This endpoint requires you to be authenticated.","documentation_url":"https://docs.github.com/graphql/guides/forming-calls-with-graphql#authenticating-with-graphql","status":"401"}""");
            return;
        }

        using var request = await JsonDocument.ParseAsync(context.Request.Body);
        var query = request.RootElement.GetProperty("query").GetString()!;
        var variables = request.RootElement.TryGetProperty("variables", out var v) && v.ValueKind == JsonValueKind.Object ? v : default;
        var lookups = Lookups(query);
        var repositories = RepositoryLookups(query);
        // GitHub's rule: the requests a query may need, per hundred, at least one point; each lookup counts as one.
        var cost = Math.Max(1, (int)Math.Ceiling((lookups.Count + repositories.Sum(r => 1 + r.Objects.Count)) / 100.0));

        var data = new JsonObject();
        var errors = new JsonArray();
        RateLimitWindow window;
        int remaining;
        lock (_lock)
        {
            window = Window(Identity(context), GraphQL);
            var allowed = window.Remaining >= cost;
            if (allowed)
            {
                window.Remaining -= cost;
            }

            remaining = window.Remaining;
            if (!allowed)
            {
                errors.Add(new JsonObject { ["type"] = "RATE_LIMITED", ["code"] = "graphql_rate_limit", ["message"] = "API rate limit already exceeded for user ID 1." });
            }
            else
            {
                if (query.Contains("rateLimit", StringComparison.Ordinal))
                {
                    data["rateLimit"] = new JsonObject
                    {
                        ["limit"] = window.Limit,
                        ["cost"] = cost,
                        ["remaining"] = remaining,
                        ["resetAt"] = window.Reset.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
                    };
                }

                ServeRepositories(repositories, variables, data, errors);
                foreach (var lookup in lookups)
                {
                    var login = variables.GetProperty(lookup.Variable).GetString()!;
                    var owner = _users.TryGetValue(login, out var json) ? Owner(JsonNode.Parse(json)!) : null;
                    // user(login:) resolves users only; repositoryOwner(login:) users and organisations; bots neither.
                    var type = owner?["__typename"]!.GetValue<string>();
                    var resolves = lookup.Field == "user" ? type == "User" : type is "User" or "Organization";
                    data[lookup.Alias] = resolves ? owner : null;
                    if (!resolves && lookup.Field == "user")
                    {
                        errors.Add(new JsonObject
                        {
                            ["type"] = "NOT_FOUND",
                            ["path"] = new JsonArray(lookup.Alias),
                            ["locations"] = new JsonArray(new JsonObject { ["line"] = 3, ["column"] = 3 }),
                            ["message"] = $"Could not resolve to a User with the login of '{login}'.",
                        });
                    }
                }
            }
        }

        WriteRateLimit(context, window.Limit, remaining, window.Reset, GraphQL);
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json; charset=utf-8";
        var answer = new JsonObject();
        if (errors.Count == 0 || data.Count > 0)
        {
            answer["data"] = data;
        }

        if (errors.Count > 0)
        {
            answer["errors"] = errors;
        }

        await context.Response.WriteAsync(answer.ToJsonString());
    }

    // The REST profile in GraphQL's names, with the fields the profile query selects.
    private static JsonObject Owner(JsonNode user)
    {
        var type = user["type"]!.GetValue<string>();
        var owner = new JsonObject
        {
            ["__typename"] = type,
            ["login"] = user["login"]!.GetValue<string>(),
            ["databaseId"] = user["id"]!.GetValue<long>(),
            ["name"] = user["name"]?.DeepClone(),
            ["location"] = user["location"]?.DeepClone(),
            ["createdAt"] = user["created_at"]?.DeepClone(),
            ["publicRepos"] = new JsonObject { ["totalCount"] = user["public_repos"]?.GetValue<int>() ?? 0 },
        };
        if (type == "User")
        {
            owner["company"] = user["company"]?.DeepClone();
            owner["followers"] = new JsonObject { ["totalCount"] = user["followers"]?.GetValue<int>() ?? 0 };
        }

        return owner;
    }

    private static List<(string Alias, string Field, string Variable)> Lookups(string query) =>
        OwnerLookup().Matches(query).Select(m => (m.Groups["alias"].Value, m.Groups["field"].Value, m.Groups["variable"].Value)).ToList();

    [GeneratedRegex(@"(?<alias>\w+)\s*:\s*(?<field>repositoryOwner|user)\s*\(\s*login\s*:\s*\$(?<variable>\w+)\s*\)")]
    private static partial Regex OwnerLookup();
}
