using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using GithubEvents.Enrich.Events;

namespace GithubEvents.Enrich.Restoring;

/// <summary>
/// A trimmed payload with what GitHub answered about its commit or pull request added, no I/O: only members GitHub
/// did not send are added, and their paths (<c>commits</c>, <c>pull_request.title</c>) are returned, in order, so that removing
/// them gives back the payload as sent (<c>payload_as_sent</c> in <c>0013_restoration.sql</c>). The detail line is made
/// again from the restored payload, with the pull request's title or the head commit's first line.
/// </summary>
public static class PayloadRestoration
{
    public static RestoredRow Restore(RestorableRow row, JsonObject value)
    {
        var payload = JsonNode.Parse(row.Payload)!.AsObject();
        var paths = new List<string>();
        string? line;
        if (row.Kind == RestoreTarget.Commit)
        {
            if (!payload.ContainsKey("commits"))
            {
                payload["commits"] = new JsonArray(value.DeepClone());
                paths.Add("commits");
            }

            line = FirstLine(value["message"]?.GetValue<string>());
        }
        else
        {
            if (payload["pull_request"] is JsonObject pullRequest)
            {
                foreach (var (name, member) in value.Where(member => !pullRequest.ContainsKey(member.Key)).ToList())
                {
                    pullRequest[name] = member?.DeepClone();
                    paths.Add($"pull_request.{name}");
                }
            }
            else if (!payload.ContainsKey("pull_request"))
            {
                payload["pull_request"] = value.DeepClone();
                paths.Add("pull_request");
            }

            line = value["title"]?.GetValue<string>();
        }

        paths.Sort(StringComparer.Ordinal);
        var json = payload.ToJsonString();
        var detail = EventDetail.Describe(row.EventType, Facts(json));
        return new RestoredRow(row.Time, row.EventId, json, paths, string.IsNullOrWhiteSpace(line) ? detail : $"{detail}: {line}");
    }

    private static PayloadFacts Facts(string payload)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(payload));
        reader.Read();
        return PayloadFacts.Read(ref reader);
    }

    private static string? FirstLine(string? message) =>
        message is null ? null : message.AsSpan().TrimStart().ToString().Split('\n', 2)[0].TrimEnd('\r', ' ');
}
