using System.Text.Json;

namespace GithubEvents.Enrich.Archive;

/// <summary>
/// An event's json.gz line, the text <c>v_raw_events</c> prints for <c>envelope || {"payload": p}</c>, put together from
/// the texts of the envelope and of <c>p</c>, so that the server prints each payload once, for both files. PostgreSQL prints
/// a jsonb object's members in its key order (shorter keys first, then bytewise), separated by <c>", "</c>, each key
/// followed by <c>": "</c>, and a value the same alone as nested: the line is the envelope's text with the member
/// <c>"payload": p</c> at its key's place.
/// </summary>
public static class EventLine
{
    private static ReadOnlySpan<byte> PayloadKey => "payload"u8;

    public static void Write(Stream destination, ReadOnlySpan<byte> envelope, ReadOnlySpan<byte> payload)
    {
        var (at, resume, commaBefore, commaAfter) = PayloadPlace(envelope);
        destination.Write(envelope[..at]);
        destination.Write(commaBefore ? ", \"payload\": "u8 : "\"payload\": "u8);
        destination.Write(payload);
        if (commaAfter)
        {
            destination.Write(", "u8);
        }

        destination.Write(envelope[resume..]);
    }

    // Where the member goes: before the first key that sorts after "payload", in place of a member "payload" (the
    // envelope has none, but || would replace it), or last, before the closing brace.
    private static (int At, int Resume, bool CommaBefore, bool CommaAfter) PayloadPlace(ReadOnlySpan<byte> envelope)
    {
        var reader = new Utf8JsonReader(envelope);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new InvalidDataException("The event's envelope is not a JSON object.");
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var start = (int)reader.TokenStartIndex;
            var order = Compare(ref reader);
            if (order > 0)
            {
                return (start, start, false, true);
            }

            reader.Read();
            reader.Skip();
            if (order == 0)
            {
                return (start, (int)reader.BytesConsumed, false, false);
            }
        }

        var end = envelope.Length - 1;
        return (end, end, end > 1, false);
    }

    // jsonb's key order of the key read against "payload": by length, then bytewise.
    private static int Compare(ref Utf8JsonReader reader)
    {
        var key = reader.ValueSpan;
        if (reader.ValueIsEscaped)
        {
            var copy = new byte[reader.ValueSpan.Length];
            key = copy.AsSpan(0, reader.CopyString(copy));
        }

        return key.Length != PayloadKey.Length ? key.Length.CompareTo(PayloadKey.Length) : key.SequenceCompareTo(PayloadKey);
    }
}
