using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace GithubEvents.Tests.Fakes;

/// <summary>
/// The fake's repositories' commits and pull requests as GraphQL serves them: aliased <c>repository(owner:, name:)</c>
/// with aliased <c>object(oid:)</c> (null for an unknown object, as GitHub answers) and <c>pullRequest(number:)</c> (null
/// with a NOT_FOUND error) inside; an unknown repository is null with a NOT_FOUND error.
/// </summary>
public sealed partial class FakeGitHub
{
    private readonly Dictionary<string, FakeRepository> _repositories = new(StringComparer.OrdinalIgnoreCase);

    public void AddCommit(string repo, string sha, string message, string authorName, string authorEmail)
    {
        lock (_lock)
        {
            Repository(repo).Commits[sha] = new JsonObject
            {
                ["__typename"] = "Commit",
                ["oid"] = sha,
                ["message"] = message,
                ["author"] = new JsonObject { ["name"] = authorName, ["email"] = authorEmail },
            };
        }
    }

    public void AddPullRequest(string repo, int number, string title, string state, int additions, int deletions, int changedFiles)
    {
        lock (_lock)
        {
            Repository(repo).PullRequests[number] = new JsonObject
            {
                ["title"] = title,
                ["state"] = state,
                ["merged"] = state == "MERGED",
                ["additions"] = additions,
                ["deletions"] = deletions,
                ["changedFiles"] = changedFiles,
            };
        }
    }

    /// <summary>The commits and pull requests asked for in one GraphQL request the fake received, as <c>repo kind key</c>.</summary>
    public static IReadOnlyList<string> GraphQLObjects(RecordedRequest request)
    {
        using var body = JsonDocument.Parse(request.Body);
        var variables = body.RootElement.TryGetProperty("variables", out var v) && v.ValueKind == JsonValueKind.Object ? v : default;
        return RepositoryLookups(body.RootElement.GetProperty("query").GetString()!)
            .SelectMany(repository => repository.Objects.Select(o =>
                $"{variables.GetProperty(repository.Owner).GetString()}/{variables.GetProperty(repository.Name).GetString()} {o.Field} {variables.GetProperty(o.Variable)}"))
            .ToList();
    }

    private FakeRepository Repository(string repo)
    {
        if (!_repositories.TryGetValue(repo, out var repository))
        {
            _repositories[repo] = repository = new FakeRepository();
        }

        return repository;
    }

    // Called under the lock, with the budget already charged.
    private void ServeRepositories(List<RepositoryLookup> lookups, JsonElement variables, JsonObject data, JsonArray errors)
    {
        foreach (var lookup in lookups)
        {
            var name = $"{variables.GetProperty(lookup.Owner).GetString()}/{variables.GetProperty(lookup.Name).GetString()}";
            if (!_repositories.TryGetValue(name, out var repository))
            {
                data[lookup.Alias] = null;
                errors.Add(NotFound([lookup.Alias], $"Could not resolve to a Repository with the name '{name}'."));
                continue;
            }

            var answer = new JsonObject();
            foreach (var (alias, field, variable) in lookup.Objects)
            {
                var value = variables.GetProperty(variable);
                if (field == "object")
                {
                    answer[alias] = repository.Commits.TryGetValue(value.GetString()!, out var commit) ? commit.DeepClone() : null;
                }
                else if (repository.PullRequests.TryGetValue(value.GetInt32(), out var pullRequest))
                {
                    answer[alias] = pullRequest.DeepClone();
                }
                else
                {
                    answer[alias] = null;
                    errors.Add(NotFound([lookup.Alias, alias], $"Could not resolve to a PullRequest with the number of {value.GetInt32()}."));
                }
            }

            data[lookup.Alias] = answer;
        }
    }

    private static JsonObject NotFound(string[] path, string message) => new()
    {
        ["type"] = "NOT_FOUND",
        ["path"] = new JsonArray(path.Select(part => (JsonNode)part).ToArray()),
        ["locations"] = new JsonArray(new JsonObject { ["line"] = 3, ["column"] = 3 }),
        ["message"] = message,
    };

    private static List<RepositoryLookup> RepositoryLookups(string query) =>
        RepositoryBlock().Matches(query).Select(m => new RepositoryLookup(
            m.Groups["alias"].Value,
            m.Groups["owner"].Value,
            m.Groups["name"].Value,
            ObjectLookup().Matches(m.Groups["body"].Value).Select(o => (o.Groups["alias"].Value, o.Groups["field"].Value, o.Groups["variable"].Value)).ToList())).ToList();

    [GeneratedRegex(@"(?<alias>\w+)\s*:\s*repository\s*\(\s*owner\s*:\s*\$(?<owner>\w+)\s*,\s*name\s*:\s*\$(?<name>\w+)\s*\)\s*\{(?<body>(?:[^{}]|\{[^{}]*\})*)\}")]
    private static partial Regex RepositoryBlock();

    [GeneratedRegex(@"(?<alias>\w+)\s*:\s*(?<field>object|pullRequest)\s*\(\s*(?:oid|number)\s*:\s*\$(?<variable>\w+)\s*\)")]
    private static partial Regex ObjectLookup();

    private sealed record RepositoryLookup(string Alias, string Owner, string Name, List<(string Alias, string Field, string Variable)> Objects);

    private sealed class FakeRepository
    {
        public Dictionary<string, JsonObject> Commits { get; } = new(StringComparer.Ordinal);

        public Dictionary<int, JsonObject> PullRequests { get; } = [];
    }
}
