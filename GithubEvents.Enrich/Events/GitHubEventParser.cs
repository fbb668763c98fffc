using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace GithubEvents.Enrich.Events;

/// <summary>
/// Reads the typed columns of a raw GitHub event (Events API or GH Archive, either payload shape) and says why when
/// a message is not a usable event. The payload is kept as received; the rest of the event goes to the envelope.
/// </summary>
public static class GitHubEventParser
{
    public static bool TryParse(byte[] json, [NotNullWhen(true)] out EventRow? row, [NotNullWhen(false)] out string? rejection)
    {
        row = null;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            rejection = $"invalid JSON: {ex.Message}";
            return false;
        }

        using (document)
        {
            var root = document.RootElement;
            rejection = Reject(root, out var eventId, out var type, out var time, out var actorId, out var login);
            if (rejection is not null)
            {
                return false;
            }

            root.TryGetProperty("repo", out var repo);
            root.TryGetProperty("org", out var org);
            root.TryGetProperty("payload", out var payload);
            row = new EventRow
            {
                Time = time,
                EventId = eventId,
                EventType = type,
                Actor = login,
                ActorId = actorId,
                Repo = TryGetString(repo, "name", out var repoName) ? repoName : null,
                RepoId = TryGetId(repo, "id", out var repoId) ? repoId : null,
                Org = TryGetString(org, "login", out var orgLogin) ? orgLogin : null,
                Detail = EventDetail.Describe(type, payload),
                IsBot = login.EndsWith("[bot]", StringComparison.Ordinal),
                Payload = JsonbText.Storable(payload.ValueKind == JsonValueKind.Object ? JsonMarshal.GetRawUtf8Value(payload).ToArray() : "{}"u8.ToArray()),
                Envelope = JsonbText.Storable(Envelope(root)),
            };
            return true;
        }
    }

    private static byte[] Envelope(JsonElement root)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var member in root.EnumerateObject())
            {
                if (member.NameEquals("payload"u8))
                {
                    continue;
                }

                member.WriteTo(writer);
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static string? Reject(JsonElement root, out long eventId, out string type, out DateTime time, out long actorId, out string login)
    {
        (eventId, type, time, actorId, login) = (0, "", default, 0, "");
        if (root.ValueKind != JsonValueKind.Object)
        {
            return $"not a JSON object but {root.ValueKind}";
        }

        if (!TryGetId(root, "id", out eventId))
        {
            return "missing or non-numeric id";
        }

        if (!TryGetString(root, "type", out var typeText))
        {
            return "missing type";
        }

        type = typeText;
        if (!TryGetTime(root, out time))
        {
            return "missing or invalid created_at";
        }

        if (!root.TryGetProperty("actor", out var actor) || !TryGetId(actor, "id", out actorId) || !TryGetString(actor, "login", out var actorLogin))
        {
            return "missing actor id or login";
        }

        login = actorLogin;
        return null;
    }

    // Event ids are strings of digits in both sources; actor and repository ids are numbers.
    private static bool TryGetId(JsonElement element, string name, out long id)
    {
        id = 0;
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out var value))
        {
            return false;
        }

        return value.ValueKind switch
        {
            JsonValueKind.Number => value.TryGetInt64(out id),
            JsonValueKind.String => long.TryParse(value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out id),
            _ => false,
        };
    }

    private static bool TryGetString(JsonElement element, string name, [NotNullWhen(true)] out string? text)
    {
        text = element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
        return !string.IsNullOrEmpty(text);
    }

    private static bool TryGetTime(JsonElement root, out DateTime time)
    {
        time = default;
        if (!root.TryGetProperty("created_at", out var value) || value.ValueKind != JsonValueKind.String || !value.TryGetDateTimeOffset(out var parsed))
        {
            return false;
        }

        time = parsed.UtcDateTime;
        return true;
    }
}
