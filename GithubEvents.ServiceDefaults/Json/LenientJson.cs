using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace GithubEvents.ServiceDefaults.Json;

/// <summary>
/// Text out of JSON whatever its bytes. <see cref="Utf8JsonReader"/> accepts invalid UTF-8 and lone surrogate escapes
/// inside strings but throws <see cref="InvalidOperationException"/> when asked for such a string; here each of them, and
/// the escape <c>\u0000</c>, becomes U+FFFD, the replacement character, and every other byte stays as it was.
/// </summary>
public static class LenientJson
{
    private static ReadOnlySpan<byte> ReplacementEscape => "\\ufffd"u8;

    private static ReadOnlySpan<byte> Replacement => "\uFFFD"u8;

    /// <summary>The string the reader is on (a value or a property name), decoded leniently.</summary>
    public static string GetLenientString(this ref Utf8JsonReader reader)
    {
        // The services read whole messages from arrays, where a value is always one span.
        var raw = reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan;
        if (Find(raw) == JsonTextFaults.None)
        {
            return reader.ValueIsEscaped ? reader.GetString()! : Encoding.UTF8.GetString(raw);
        }

        var quoted = new ArrayBufferWriter<byte>(raw.Length + 8);
        quoted.Write("\""u8);
        Repair(raw, quoted);
        quoted.Write("\""u8);
        var repaired = new Utf8JsonReader(quoted.WrittenSpan);
        repaired.Read();
        return repaired.GetString()!;
    }

    /// <summary>
    /// Whether the property name the reader is on is <paramref name="asciiName"/>; unlike
    /// <see cref="Utf8JsonReader.ValueTextEquals(ReadOnlySpan{byte})"/> it does not throw on a name with a lone surrogate.
    /// </summary>
    public static bool NameIs(this ref Utf8JsonReader reader, ReadOnlySpan<byte> asciiName) =>
        reader.ValueIsEscaped || reader.HasValueSequence
            ? Ascii.Equals(asciiName, reader.GetLenientString())
            : reader.ValueSpan.SequenceEqual(asciiName);

    /// <summary>What <see cref="Repair"/> would replace in the JSON text; no allocation.</summary>
    public static JsonTextFaults Find(ReadOnlySpan<byte> json)
    {
        var faults = Utf8.IsValid(json) ? JsonTextFaults.None : JsonTextFaults.InvalidUtf8;
        var i = json.IndexOf((byte)'\\');
        while (i >= 0)
        {
            var (length, fault) = Escape(json[i..]);
            faults |= fault;
            i += length;
            i = json[i..].IndexOf((byte)'\\') is var next and >= 0 ? i + next : -1;
        }

        return faults;
    }

    /// <summary>
    /// Writes the JSON text with every fault replaced by U+FFFD: a <c>\u0000</c> or lone surrogate escape by the escape
    /// <c>\ufffd</c> (six bytes for six), each invalid UTF-8 sequence by the character's three bytes.
    /// </summary>
    public static JsonTextFaults Repair(ReadOnlySpan<byte> json, IBufferWriter<byte> output)
    {
        // One pass over the bytes; escapes occur only inside strings in text the reader accepted, so no string
        // tracking is needed.
        var faults = JsonTextFaults.None;
        var i = 0;
        while (i < json.Length)
        {
            var rest = json[i..];
            var plain = rest.IndexOfAnyExceptInRange((byte)0, (byte)0x7F) is var nonAscii and >= 0 ? nonAscii : rest.Length;
            if (rest[..plain].IndexOf((byte)'\\') is var backslash and >= 0)
            {
                plain = backslash;
            }

            output.Write(rest[..plain]);
            i += plain;
            if (plain == rest.Length)
            {
                break;
            }

            rest = json[i..];
            int length;
            JsonTextFaults fault;
            if (rest[0] == (byte)'\\')
            {
                (length, fault) = Escape(rest);
            }
            else
            {
                var status = Rune.DecodeFromUtf8(rest, out _, out length);
                fault = status == OperationStatus.Done ? JsonTextFaults.None : JsonTextFaults.InvalidUtf8;
            }

            faults |= fault;
            output.Write(fault switch
            {
                JsonTextFaults.None => rest[..length],
                JsonTextFaults.InvalidUtf8 => Replacement,
                _ => ReplacementEscape,
            });
            i += length;
        }

        return faults;
    }

    // The escape at the start: its length, and what is wrong with it. A surrogate pair is one escape of twelve bytes.
    private static (int Length, JsonTextFaults Fault) Escape(ReadOnlySpan<byte> escape)
    {
        if (escape.Length < 6 || escape[1] != (byte)'u' || !TryHex(escape[2..6], out var unit))
        {
            return (Math.Min(2, escape.Length), JsonTextFaults.None);
        }

        if (unit == 0)
        {
            return (6, JsonTextFaults.NulEscape);
        }

        if (char.IsLowSurrogate((char)unit))
        {
            return (6, JsonTextFaults.LoneSurrogate);
        }

        if (!char.IsHighSurrogate((char)unit))
        {
            return (6, JsonTextFaults.None);
        }

        return escape.Length >= 12 && escape[6] == (byte)'\\' && escape[7] == (byte)'u' && TryHex(escape[8..12], out var low) && char.IsLowSurrogate((char)low)
            ? (12, JsonTextFaults.None)
            : (6, JsonTextFaults.LoneSurrogate);
    }

    private static bool TryHex(ReadOnlySpan<byte> digits, out int value) =>
        int.TryParse(digits, System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture, out value);
}
