using System.Text.Json.Nodes;

namespace GithubEvents.Tests.Enrich;

/// <summary>Synthetic GitHub events with chosen ids, actors and times, in the Events API's shape.</summary>
internal static class TestEvents
{
    public static byte[] Event(long id, string type, DateTime time, string actor, long actorId, string? repo, JsonObject? payload = null)
    {
        var json = new JsonObject
        {
            ["id"] = id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["type"] = type,
            ["actor"] = new JsonObject { ["id"] = actorId, ["login"] = actor, ["display_login"] = actor },
            ["repo"] = repo is null ? null : new JsonObject { ["id"] = Math.Abs(repo.GetHashCode()), ["name"] = repo },
            ["payload"] = payload ?? [],
            ["public"] = true,
            ["created_at"] = time.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture),
        };
        return System.Text.Encoding.UTF8.GetBytes(json.ToJsonString());
    }

    /// <summary>A push in the full (before October 2025) shape, with its commit.</summary>
    public static JsonObject FullPush(string branch, string message) => new()
    {
        ["push_id"] = 1,
        ["size"] = 1,
        ["distinct_size"] = 1,
        ["ref"] = $"refs/heads/{branch}",
        ["head"] = "437b1d8e604a352706d890784fff12409083d382",
        ["before"] = "44022521dad544dc159118c82ee8c87f3f6d131b",
        ["commits"] = new JsonArray(new JsonObject { ["sha"] = "437b1d8e604a352706d890784fff12409083d382", ["message"] = message }),
    };

    /// <summary>A push as GitHub trims it since October 2025.</summary>
    public static JsonObject TrimmedPush(string branch) => new()
    {
        ["repository_id"] = 7,
        ["push_id"] = 2,
        ["ref"] = $"refs/heads/{branch}",
        ["head"] = "437b1d8e604a352706d890784fff12409083d382",
        ["before"] = "44022521dad544dc159118c82ee8c87f3f6d131b",
    };
}
