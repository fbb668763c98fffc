using System.Globalization;
using System.Text;

namespace GithubEvents.Tests.Infrastructure;

/// <summary>
/// Mutations of recorded events for fuzz tests, from a fixed seed so that a failure reproduces: bytes flipped, the event
/// cut off, bytes inserted, lone surrogate, <c>\u0000</c> and invalid UTF-8 put into a string (a value or a member's
/// name), nesting deeper than readers allow or not, very long strings, numbers beyond PostgreSQL's numeric. Each mutant
/// gets an event id of its own first, so that two mutants are two events unless a mutation made them the same.
/// </summary>
public static class EventMutations
{
    public enum Kind
    {
        ByteFlip,
        Truncation,
        Insertion,
        LoneSurrogate,
        InvalidUtf8,
        NulEscape,
        DeepNesting,
        LongString,
        HugeNumber,
    }

    public sealed record Mutant(int Index, Kind Kind, byte[] Bytes);

    private static readonly byte[][] InvalidUtf8 =
    [
        [0xFF], [0x80], [0xC3], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82], [0xFE, 0xFE],
    ];

    // Long-string mutations are rarer than the others, to keep the volume of a run modest.
    private static readonly (Kind Kind, int Weight)[] Weights =
    [
        (Kind.ByteFlip, 20), (Kind.Truncation, 8), (Kind.Insertion, 12), (Kind.LoneSurrogate, 16), (Kind.InvalidUtf8, 16),
        (Kind.NulEscape, 6), (Kind.DeepNesting, 8), (Kind.LongString, 2), (Kind.HugeNumber, 4),
    ];

    public static List<Mutant> Make(IReadOnlyList<byte[]> events, int count, int seed, long firstId = 9_000_000_000)
    {
        var random = new Random(seed);
        var total = Weights.Sum(weight => weight.Weight);
        var mutants = new List<Mutant>(count);
        for (var i = 0; i < count; i++)
        {
            var pick = random.Next(total);
            var kind = Weights.First(weight => (pick -= weight.Weight) < 0).Kind;
            var original = WithId(events[i % events.Count], firstId + i);
            mutants.Add(new Mutant(i, kind, Mutate(original, kind, random)));
        }

        return mutants;
    }

    /// <summary>The event with the value of its first <c>"id"</c> member replaced.</summary>
    public static byte[] WithId(byte[] json, long id)
    {
        var text = Encoding.UTF8.GetString(json);
        var start = text.IndexOf("\"id\":", StringComparison.Ordinal) + 5;
        var end = text[start] == '"' ? text.IndexOf('"', start + 1) + 1 : text.IndexOfAny([',', '}'], start);
        return Encoding.UTF8.GetBytes($"{text[..start]}\"{id.ToString(CultureInfo.InvariantCulture)}\"{text[end..]}");
    }

    private static byte[] Mutate(byte[] json, Kind kind, Random random) => kind switch
    {
        Kind.ByteFlip => Flip(json, random),
        Kind.Truncation => json[..random.Next(json.Length)],
        Kind.Insertion => Insert(json, random.Next(json.Length + 1), RandomBytes(random, random.Next(1, 9))),
        Kind.LoneSurrogate => Insert(json, InString(json, random), Encoding.ASCII.GetBytes(
            $"\\u{random.Next(0xD800, 0xE000):x4}{(random.Next(2) == 0 ? "" : "x")}")),
        Kind.InvalidUtf8 => Insert(json, InString(json, random), InvalidUtf8[random.Next(InvalidUtf8.Length)]),
        Kind.NulEscape => Insert(json, InString(json, random), "\\u0000"u8.ToArray()),
        Kind.DeepNesting => Nest(json, random),
        Kind.LongString => Insert(json, InString(json, random), LongText(random)),
        _ => Insert(json, 1, Encoding.ASCII.GetBytes($"\"huge\":{HugeNumber(random)},")),
    };

    private static byte[] Flip(byte[] json, Random random)
    {
        var result = json.ToArray();
        for (var flips = random.Next(1, 4); flips > 0; flips--)
        {
            result[random.Next(result.Length)] = (byte)random.Next(256);
        }

        return result;
    }

    private static byte[] Insert(byte[] json, int at, byte[] bytes) => [.. json.AsSpan(0, at), .. bytes, .. json.AsSpan(at)];

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    // A place inside a string, after an ASCII character that is not a backslash (so not inside an escape or a UTF-8
    // sequence): in a value (the login, the type, the time, the id, a title...) or at the start of a member's name.
    private static int InString(byte[] json, Random random)
    {
        var starts = new List<int>();
        for (var i = 1; i + 2 < json.Length; i++)
        {
            if ((json[i - 1] == (byte)':' && json[i] == (byte)'"') || (json[i - 1] is (byte)'{' or (byte)',' && json[i] == (byte)'"'))
            {
                starts.Add(i + 1);
            }
        }

        var at = starts[random.Next(starts.Count)];
        var end = at;
        while (end < json.Length && json[end] != (byte)'"' && json[end] < 0x80 && json[end] != (byte)'\\')
        {
            end++;
        }

        return random.Next(at, end + 1);
    }

    // An array nested 1 to 100 deep as the payload's first member or the event's: over 63 levels within the event, readers refuse it.
    private static byte[] Nest(byte[] json, Random random)
    {
        var depth = random.Next(1, 101);
        var member = Encoding.ASCII.GetBytes($"\"deep\":{new string('[', depth)}{new string(']', depth)},");
        var payload = Encoding.ASCII.GetBytes("\"payload\":{");
        var inPayload = json.AsSpan().IndexOf(payload);
        return random.Next(2) == 0 && inPayload >= 0 && json[inPayload + payload.Length] != (byte)'}'
            ? Insert(json, inPayload + payload.Length, member)
            : Insert(json, 1, member);
    }

    private static byte[] LongText(Random random)
    {
        var pieces = new[] { "a", "Z", "é", "日本", "😀", " ", "\\n", "\\\"", "\\ud83d\\ude00" };
        var text = new StringBuilder();
        var length = random.Next(1_000, 100_000);
        while (text.Length < length)
        {
            text.Append(pieces[random.Next(pieces.Length)]);
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private static string HugeNumber(Random random) => random.Next(4) switch
    {
        0 => $"1e{random.Next(131_073, 10_000_000)}",
        1 => $"-2.5E-{random.Next(16_384, 10_000_000)}",
        2 => "0." + new string('1', random.Next(16_384, 17_000)),
        _ => $"1e{random.Next(0, 100)}",
    };
}
