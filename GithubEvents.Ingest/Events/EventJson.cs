using System.Text.Json;
using GithubEvents.ServiceDefaults.Json;

namespace GithubEvents.Ingest.Events;

/// <summary>
/// Reads <c>id</c>, <c>type</c>, <c>created_at</c> and <c>actor.id</c> with <see cref="Utf8JsonReader"/>, skipping
/// the rest (so both the full and the trimmed payload shapes read the same) while still checking it is JSON. Text is read
/// leniently (<see cref="LenientJson"/>): whatever bytes an event holds, it is published or dead-lettered, never an exception.
/// </summary>
public static class EventJson
{
    /// <summary>The fields of one event object, or the reason it cannot be published.</summary>
    public static bool TryRead(ReadOnlySpan<byte> json, out EventFields fields, out string reason)
    {
        fields = default;
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                reason = "not a JSON object";
                return false;
            }

            string? id = null, type = null, createdAt = null;
            long? actorId = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.NameIs("id"u8))
                {
                    reader.Read();
                    id = reader.TokenType == JsonTokenType.String ? reader.GetLenientString() : null;
                }
                else if (reader.NameIs("type"u8))
                {
                    reader.Read();
                    type = reader.TokenType == JsonTokenType.String ? reader.GetLenientString() : null;
                }
                else if (reader.NameIs("created_at"u8))
                {
                    reader.Read();
                    createdAt = reader.TokenType == JsonTokenType.String ? reader.GetLenientString() : null;
                }
                else if (reader.NameIs("actor"u8))
                {
                    reader.Read();
                    actorId = ReadActorId(ref reader);
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            // Anything after the object (a second value, a cut-off tail) makes the reader throw here.
            while (reader.Read())
            {
            }

            reason = (id, type, createdAt, actorId) switch
            {
                (null, _, _, _) => "no string id",
                (_, null, _, _) => "no string type",
                (_, _, null, _) => "no string created_at",
                (_, _, _, null) => "no numeric actor.id",
                _ => "",
            };
            if (reason.Length > 0)
            {
                return false;
            }

            fields = new EventFields(id!, type!, createdAt!, actorId!.Value);
            return true;
        }
        catch (JsonException ex)
        {
            reason = $"malformed JSON: {ex.Message}";
            return false;
        }
    }

    // The old Timeline format (before 2015) has the actor's login as a string: no id to read.
    private static long? ReadActorId(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return null;
        }

        long? id = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isId = reader.NameIs("id"u8);
            reader.Read();
            if (isId && reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var value))
            {
                id = value;
            }
            else
            {
                reader.Skip();
            }
        }

        return id;
    }
}
