using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using GithubEvents.Enrich.Profiles;

namespace GithubEvents.Enrich.Restoring;

/// <summary>
/// The GraphQL query that asks for many repositories' commits and pull requests at once, one aliased
/// <c>repository(owner:, name:)</c> per repository with an aliased <c>object(oid:)</c> or <c>pullRequest(number:)</c>
/// per target inside, with the budget it cost; and the reading of its answer into the REST payloads' names. No I/O.
/// </summary>
public static class RestorationQuery
{
    private const string Fragments =
        """
        fragment commit on Commit { oid message author { name email } }
        fragment pullRequest on PullRequest { title state merged additions deletions changedFiles }
        """;

    /// <summary>The request body: names, shas and numbers travel as variables, so that no value can change the query.</summary>
    /// <exception cref="FormatException">A pull request's key is not a number.</exception>
    public static string Build(IReadOnlyList<RestoreTarget> targets)
    {
        var declarations = new List<string>();
        var fields = new StringBuilder();
        var variables = new JsonObject();
        var index = 0;
        foreach (var (repo, r) in Repositories(targets).Select((group, r) => (group, r)))
        {
            var slash = repo.Key.IndexOf('/', StringComparison.Ordinal);
            declarations.Add($"$r{r}o: String!");
            declarations.Add($"$r{r}n: String!");
            variables[$"r{r}o"] = repo.Key[..slash];
            variables[$"r{r}n"] = repo.Key[(slash + 1)..];
            fields.Append(CultureInfo.InvariantCulture, $"  r{r}: repository(owner: $r{r}o, name: $r{r}n) {{\n");
            foreach (var target in repo)
            {
                var t = index++;
                if (target.Kind == RestoreTarget.Commit)
                {
                    declarations.Add($"$t{t}: GitObjectID!");
                    variables[$"t{t}"] = target.Key;
                    fields.Append(CultureInfo.InvariantCulture, $"    t{t}: object(oid: $t{t}) {{ ...commit }}\n");
                }
                else
                {
                    declarations.Add($"$t{t}: Int!");
                    variables[$"t{t}"] = int.Parse(target.Key, NumberStyles.None, CultureInfo.InvariantCulture);
                    fields.Append(CultureInfo.InvariantCulture, $"    t{t}: pullRequest(number: $t{t}) {{ ...pullRequest }}\n");
                }
            }

            fields.Append("  }\n");
        }

        var query = new StringBuilder("query Restore(").AppendJoin(", ", declarations).Append(") {\n  rateLimit { limit cost remaining resetAt }\n")
            .Append(fields).Append("}\n").Append(Fragments);
        return new JsonObject { ["query"] = query.ToString(), ["variables"] = variables }.ToJsonString();
    }

    /// <exception cref="JsonException">The body is not a GraphQL answer to the query.</exception>
    /// <exception cref="KeyNotFoundException">A member of the answer is missing.</exception>
    /// <exception cref="InvalidOperationException">A value of the answer is of another kind.</exception>
    /// <exception cref="FormatException">A value of the answer is out of range or not a date.</exception>
    public static RestorationBatch Parse(ReadOnlySpan<byte> body, IReadOnlyList<RestoreTarget> targets)
    {
        using var document = JsonDocument.Parse(body.ToArray());
        var root = document.RootElement;
        var errors = Errors(root);
        var rateLimited = errors.ContainsValue("RATE_LIMITED");
        if (!root.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object)
        {
            return rateLimited
                ? new RestorationBatch([], null, RateLimited: true)
                : throw new JsonException($"The answer has no data: {(errors.Count > 0 ? string.Join(", ", errors.Values.Distinct()) : "no errors either")}");
        }

        var objects = new List<RestoredObject>();
        var index = 0;
        foreach (var (repo, r) in Repositories(targets).Select((group, r) => (group, r)))
        {
            var repository = data.TryGetProperty($"r{r}", out var found) && found.ValueKind == JsonValueKind.Object ? found : (JsonElement?)null;
            foreach (var target in repo)
            {
                var t = index++;
                // An error other than NOT_FOUND (a timeout, say) leaves the target unsettled: it is asked for again.
                if (errors.GetValueOrDefault($"r{r}") is { } repoError && repoError != "NOT_FOUND"
                    || errors.GetValueOrDefault($"r{r}.t{t}") is { } error && error != "NOT_FOUND")
                {
                    continue;
                }

                var value = repository is { } known && known.TryGetProperty($"t{t}", out var member) && member.ValueKind == JsonValueKind.Object
                    ? Read(target.Kind, member)
                    : null;
                objects.Add(new RestoredObject(target, value));
            }
        }

        return new RestorationBatch(objects, GraphQLRateLimit.Read(data), rateLimited);
    }

    // In the query's order: repositories as they first appear, each with its targets.
    private static IEnumerable<IGrouping<string, RestoreTarget>> Repositories(IReadOnlyList<RestoreTarget> targets) =>
        targets.GroupBy(target => target.Repo, StringComparer.Ordinal);

    // A commit as a PushEvent's commits entry; a pull request's members as the REST pull_request names them (REST has
    // no "merged" state: a merged pull request is closed, with merged true).
    private static JsonObject? Read(string kind, JsonElement found)
    {
        if (kind == RestoreTarget.Commit)
        {
            // An object that is not a commit (a tag or a tree) answers without the commit's members.
            if (ProfileQuery.String(found, "oid") is not { } sha)
            {
                return null;
            }

            var author = found.TryGetProperty("author", out var who) && who.ValueKind == JsonValueKind.Object
                ? new JsonObject { ["email"] = ProfileQuery.String(who, "email"), ["name"] = ProfileQuery.String(who, "name") }
                : null;
            return new JsonObject { ["sha"] = sha, ["author"] = author, ["message"] = ProfileQuery.String(found, "message") };
        }

        var state = ProfileQuery.String(found, "state") ?? throw new JsonException("A pull request without state.");
        return new JsonObject
        {
            ["title"] = ProfileQuery.String(found, "title"),
            ["state"] = state == "MERGED" ? "closed" : state.ToLowerInvariant(),
            ["merged"] = found.GetProperty("merged").GetBoolean(),
            ["additions"] = found.GetProperty("additions").GetInt32(),
            ["deletions"] = found.GetProperty("deletions").GetInt32(),
            ["changed_files"] = found.GetProperty("changedFiles").GetInt32(),
        };
    }

    // Each error's type by its path ("r0.t3"); errors without a path under the empty path.
    private static Dictionary<string, string> Errors(JsonElement root)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!root.TryGetProperty("errors", out var list) || list.ValueKind != JsonValueKind.Array)
        {
            return errors;
        }

        foreach (var error in list.EnumerateArray().Where(error => error.ValueKind == JsonValueKind.Object))
        {
            var path = error.TryGetProperty("path", out var parts) && parts.ValueKind == JsonValueKind.Array
                ? string.Join(".", parts.EnumerateArray().Select(part => part.ToString()))
                : "";
            errors[path] = ProfileQuery.String(error, "type") ?? ProfileQuery.String(error, "message") ?? "error";
        }

        return errors;
    }
}
