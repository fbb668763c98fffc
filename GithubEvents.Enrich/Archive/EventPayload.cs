using System.Text;
using System.Text.Json;

namespace GithubEvents.Enrich.Archive;

/// <summary>
/// The <c>payload</c> member of an event's JSON text, as the text it has there. PostgreSQL prints a jsonb value the same
/// whether it stands alone or inside another, so in the text of <c>envelope || {"payload": p}</c> it is the text of
/// <c>p::text</c>: the server serialises each payload once, not a second time for the Parquet column.
/// </summary>
public static class EventPayload
{
    public static string Of(byte[] eventJson)
    {
        var reader = new Utf8JsonReader(eventJson);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isPayload = reader.ValueTextEquals("payload"u8);
            reader.Read();
            var start = (int)reader.TokenStartIndex;
            reader.Skip();
            if (isPayload)
            {
                return Encoding.UTF8.GetString(eventJson, start, (int)reader.BytesConsumed - start);
            }
        }

        throw new InvalidDataException("The event has no payload.");
    }
}
