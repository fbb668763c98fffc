using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace GithubEvents.Tests.Infrastructure;

/// <summary>
/// A check of its own, for fuzz tests, of whether bytes are still a GitHub event, written without the services' readers:
/// the bytes are decoded with replacement characters for what is not UTF-8, parsed whole with <see cref="JsonDocument"/>,
/// and the members looked up in the tree. Enrich's rules: a numeric id (a number or a string of digits), a type, a valid
/// created_at, an actor object with a numeric id and a login, at most one payload, names of at most 255 characters.
/// Ingest's: a string id, type and created_at, and a numeric actor id.
/// </summary>
public static partial class GitHubEventCheck
{
    /// <summary>The event's key in the events table, when Enrich must store it.</summary>
    public static (DateTime Time, long Id)? EnrichKey(byte[] bytes)
    {
        using var document = Parse(bytes);
        if (document?.RootElement is not { ValueKind: JsonValueKind.Object } root)
        {
            return null;
        }

        var members = root.EnumerateObject().ToList();
        var id = Last(members, "id");
        var type = Last(members, "type");
        var createdAt = Last(members, "created_at");
        var actor = Last(members, "actor");
        if (Id(id) is not { } eventId || Text(type) is not { Length: > 0 and <= 255 } || Time(createdAt) is not { } time
            || actor is not { ValueKind: JsonValueKind.Object } || members.Count(member => Is(member, "payload")) > 1)
        {
            return null;
        }

        var actorMembers = actor.Value.EnumerateObject().ToList();
        if (Id(Last(actorMembers, "id")) is null || Text(Last(actorMembers, "login")) is not { Length: > 0 and <= 255 }
            || !NameFits(Last(members, "repo"), "name") || !NameFits(Last(members, "org"), "login"))
        {
            return null;
        }

        return (time, eventId);
    }

    /// <summary>Whether Ingest must publish the bytes as an event.</summary>
    public static bool IsIngestEvent(byte[] bytes)
    {
        using var document = Parse(bytes);
        if (document?.RootElement is not { ValueKind: JsonValueKind.Object } root)
        {
            return false;
        }

        var members = root.EnumerateObject().ToList();
        var actor = Last(members, "actor");
        return Last(members, "id") is { ValueKind: JsonValueKind.String }
            && Last(members, "type") is { ValueKind: JsonValueKind.String }
            && Last(members, "created_at") is { ValueKind: JsonValueKind.String }
            && actor is { ValueKind: JsonValueKind.Object }
            && Last(actor.Value.EnumerateObject().ToList(), "id") is { ValueKind: JsonValueKind.Number } actorId
            && actorId.TryGetInt64(out _);
    }

    private static JsonDocument? Parse(byte[] bytes)
    {
        try
        {
            return JsonDocument.Parse(Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(bytes)));
        }
        catch (JsonException)
        {
            return null;
        }
    }

    // Readers take the last of repeated members, as this does.
    private static JsonElement? Last(List<JsonProperty> members, string name) =>
        members.LastOrDefault(member => Is(member, name)) is { Value.ValueKind: not JsonValueKind.Undefined } found ? found.Value : null;

    // A name that cannot be decoded (a lone surrogate) is none of the names looked for.
    private static bool Is(JsonProperty member, string name)
    {
        try
        {
            return member.Name == name;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static long? Id(JsonElement? value) => value switch
    {
        { ValueKind: JsonValueKind.Number } number => number.TryGetInt64(out var id) ? id : null,
        { ValueKind: JsonValueKind.String } text => Text(text) is { } digits && digits.All(char.IsAsciiDigit)
            && long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null,
        _ => null,
    };

    // The text with what does not decode replaced, from the raw JSON string (its quotes off).
    private static string? Text(JsonElement? value)
    {
        if (value is not { ValueKind: JsonValueKind.String } text)
        {
            return null;
        }

        try
        {
            return text.GetString();
        }
        catch (InvalidOperationException)
        {
            // A lone surrogate escape: replaced by the escape of the replacement character, then decoded.
            using var repaired = JsonDocument.Parse(LoneSurrogate().Replace(text.GetRawText(), "\\ufffd"));
            return repaired.RootElement.GetString();
        }
    }

    // An escaped high surrogate that no escaped low one follows, or a low one that no high one precedes (an escaped
    // backslash before either aside: the fuzz puts none there).
    [GeneratedRegex(@"\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F][0-9a-fA-F]{2})|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2}")]
    private static partial Regex LoneSurrogate();

    private static DateTime? Time(JsonElement? value)
    {
        if (value is not { ValueKind: JsonValueKind.String } text)
        {
            return null;
        }

        try
        {
            return text.TryGetDateTimeOffset(out var time) ? time.UtcDateTime : null;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private static bool NameFits(JsonElement? value, string member) =>
        value is not { ValueKind: JsonValueKind.Object } owner
        || Text(Last(owner.EnumerateObject().ToList(), member)) is not { Length: > 255 };
}
