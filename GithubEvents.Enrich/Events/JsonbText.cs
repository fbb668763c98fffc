using System.Buffers;
using System.Globalization;
using System.Text.Json;
using GithubEvents.ServiceDefaults.Json;

namespace GithubEvents.Enrich.Events;

/// <summary>
/// What PostgreSQL's jsonb refuses and GitHub events can hold: the escape <c>\u0000</c> (commit messages, issue
/// bodies), an escaped surrogate without its pair (a message cut in the middle of an emoji), bytes that are not UTF-8,
/// and numbers beyond numeric's range. Such events are kept with each of these replaced, the first three by U+FFFD,
/// the replacement character (<see cref="LenientJson"/>), a number by a string of its text; every other byte stays as
/// received, and the row's <c>altered</c> names what was replaced.
/// </summary>
public static class JsonbText
{
    // numeric holds at most 131,072 digits before the decimal point and 16,383 after it.
    private const long MaxWeight = 131_072;
    private const long MaxScale = 16_383;

    // A number can only exceed those with an exponent of five digits or more, or a run of thousands of digits.
    private const int ExponentDigits = 5;
    private const int LongDigitRun = 6_000;

    /// <summary>The JSON as jsonb can hold it (the same array when nothing had to change); adds what changed to <paramref name="altered"/>.</summary>
    public static byte[] Storable(byte[] json, ref JsonbAlterations altered)
    {
        json = WithNumbersInRange(json, ref altered);
        var faults = LenientJson.Find(json);
        if (faults == JsonTextFaults.None)
        {
            return json;
        }

        altered |= (JsonbAlterations)faults;
        var repaired = new ArrayBufferWriter<byte>(json.Length + 16);
        LenientJson.Repair(json, repaired);
        return repaired.WrittenSpan.ToArray();
    }

    /// <summary>The names of the alterations, as <c>events.altered</c> lists them; null for none.</summary>
    public static string[]? Names(JsonbAlterations altered) => altered == JsonbAlterations.None
        ? null
        : Enum.GetValues<JsonbAlterations>()
            .Where(flag => flag != JsonbAlterations.None && altered.HasFlag(flag))
            .Select(flag => flag switch
            {
                JsonbAlterations.NulEscape => "nul_escape",
                JsonbAlterations.LoneSurrogate => "lone_surrogate",
                JsonbAlterations.InvalidUtf8 => "invalid_utf8",
                _ => "number_out_of_range",
            })
            .ToArray();

    private static byte[] WithNumbersInRange(byte[] json, ref JsonbAlterations altered)
    {
        if (!MayHoldHugeNumber(json))
        {
            return json;
        }

        // The text was read once already: the reader accepts it (lone surrogates and invalid UTF-8 included).
        var reader = new Utf8JsonReader(json);
        var output = new ArrayBufferWriter<byte>(json.Length + 16);
        var copied = 0;
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.Number && !NumericHolds(reader.ValueSpan))
            {
                var start = (int)reader.TokenStartIndex;
                output.Write(json.AsSpan(copied, start - copied));
                output.Write("\""u8);
                output.Write(reader.ValueSpan);
                output.Write("\""u8);
                copied = start + reader.ValueSpan.Length;
            }
        }

        if (copied == 0)
        {
            return json;
        }

        altered |= JsonbAlterations.NumberOutOfRange;
        output.Write(json.AsSpan(copied));
        return output.WrittenSpan.ToArray();
    }

    private static bool MayHoldHugeNumber(ReadOnlySpan<byte> json)
    {
        for (var i = json.IndexOfAny((byte)'e', (byte)'E'); i >= 0; i = json[(i + 1)..].IndexOfAny((byte)'e', (byte)'E') is var next and >= 0 ? i + 1 + next : -1)
        {
            var exponent = json[(i + 1)..];
            exponent = exponent is [(byte)'+' or (byte)'-', ..] ? exponent[1..] : exponent;
            if (i > 0 && char.IsAsciiDigit((char)json[i - 1]) && DigitRun(exponent) >= ExponentDigits)
            {
                return true;
            }
        }

        for (var i = json.IndexOfAnyInRange((byte)'0', (byte)'9'); i >= 0;)
        {
            var run = DigitRun(json[i..]);
            if (run >= LongDigitRun)
            {
                return true;
            }

            i = json[(i + run)..].IndexOfAnyInRange((byte)'0', (byte)'9') is var next and >= 0 ? i + run + next : -1;
        }

        return false;
    }

    private static int DigitRun(ReadOnlySpan<byte> text) => text.IndexOfAnyExceptInRange((byte)'0', (byte)'9') is var end and >= 0 ? end : text.Length;

    // A JSON number (as the reader validated it): numeric's display scale is the digits after the point, less the
    // exponent; its weight is the digits before the point, from the first that is not zero, plus the exponent.
    private static bool NumericHolds(ReadOnlySpan<byte> number)
    {
        var digits = number[0] == (byte)'-' ? number[1..] : number;
        var integer = DigitRun(digits);
        var fraction = digits.Length > integer && digits[integer] == (byte)'.' ? DigitRun(digits[(integer + 1)..]) : 0;
        var rest = digits[(integer + (fraction > 0 ? fraction + 1 : 0))..];
        long exponent = 0;
        if (rest.Length > 1)
        {
            var sign = rest[1] == (byte)'-' ? -1 : 1;
            var exponentDigits = rest[1] is (byte)'-' or (byte)'+' ? rest[2..] : rest[1..];
            exponent = sign * (exponentDigits.TrimStart((byte)'0').Length > 12 ? 1_000_000_000_000 : long.Parse(exponentDigits, NumberStyles.None, CultureInfo.InvariantCulture));
        }

        if (fraction - exponent > MaxScale)
        {
            return false;
        }

        var mantissa = digits[..integer].IndexOfAnyExcept((byte)'0') is var first and >= 0
            ? integer - first
            : fraction > 0 && digits.Slice(integer + 1, fraction).IndexOfAnyExcept((byte)'0') is var firstAfter and >= 0 ? -firstAfter : long.MinValue;
        return mantissa == long.MinValue || mantissa + exponent <= MaxWeight;
    }
}
