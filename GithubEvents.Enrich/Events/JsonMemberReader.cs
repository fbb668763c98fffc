using System.Globalization;
using System.Text.Json;
using GithubEvents.ServiceDefaults.Json;

namespace GithubEvents.Enrich.Events;

/// <summary>
/// Reading a member's value with <see cref="Utf8JsonReader"/> positioned on the member's name: each method moves to
/// the value, reads what it wants, and skips the rest of it, so a value of an unexpected kind is passed over.
/// </summary>
internal static class JsonMemberReader
{
    public delegate T ValueReader<T>(ref Utf8JsonReader reader);

    public static void SkipNext(this ref Utf8JsonReader reader)
    {
        reader.Read();
        reader.Skip();
    }

    /// <summary>
    /// The value as text: null unless it is a non-empty string. Decoded leniently, with U+FFFD for what is not text
    /// (<see cref="LenientJson"/>), so that it can go into a text column.
    /// </summary>
    public static string? NextText(this ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.String)
        {
            reader.Skip();
            return null;
        }

        return reader.GetLenientString() is { Length: > 0 } text ? text : null;
    }

    public static long? NextNumber(this ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.Number)
        {
            reader.Skip();
            return null;
        }

        return reader.TryGetInt64(out var number) ? number : null;
    }

    /// <summary>A number, or a string of digits: event ids are strings in both sources, other ids numbers.</summary>
    public static long? NextId(this ref Utf8JsonReader reader)
    {
        reader.Read();
        switch (reader.TokenType)
        {
            case JsonTokenType.Number:
                return reader.TryGetInt64(out var number) ? number : null;
            case JsonTokenType.String:
                var digits = reader.ValueIsEscaped ? System.Text.Encoding.UTF8.GetBytes(reader.GetLenientString()) : reader.ValueSpan;
                return long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;
            default:
                reader.Skip();
                return null;
        }
    }

    public static bool NextIsTrue(this ref Utf8JsonReader reader)
    {
        reader.Read();
        var isTrue = reader.TokenType == JsonTokenType.True;
        reader.Skip();
        return isTrue;
    }

    public static DateTime? NextTime(this ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.String)
        {
            reader.Skip();
            return null;
        }

        // A time is ASCII: one with what does not decode is no time (and would make TryGetDateTimeOffset throw).
        return LenientJson.Find(reader.ValueSpan) == JsonTextFaults.None && reader.TryGetDateTimeOffset(out var time) ? time.UtcDateTime : null;
    }

    /// <summary>True, and the reader on the object's start, when the value is an object; else the value is skipped.</summary>
    public static bool NextIsObject(this ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.StartObject)
        {
            return true;
        }

        reader.Skip();
        return false;
    }

    public static string? NextMemberText(this ref Utf8JsonReader reader, ReadOnlySpan<byte> member) => reader.NextMember(member, NextText);

    public static long? NextMemberNumber(this ref Utf8JsonReader reader, ReadOnlySpan<byte> member) => reader.NextMember(member, NextNumber);

    /// <summary>One member of the object that is the value: default when the value is not an object or lacks it.</summary>
    public static T? NextMember<T>(this ref Utf8JsonReader reader, ReadOnlySpan<byte> member, ValueReader<T?> read)
    {
        T? value = default;
        if (reader.NextIsObject())
        {
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.NameIs(member))
                {
                    value = read(ref reader);
                }
                else
                {
                    reader.SkipNext();
                }
            }
        }

        return value;
    }
}
