namespace GithubEvents.Tests.Ingest;

/// <summary>
/// A feed page made of elements (mutated events, <see cref="EventMutations"/>), and in some pages broken array syntax:
/// a comma missing or doubled, bytes between elements, white space, a bracket missing, the page cut off.
/// </summary>
/// <param name="Ranges">Where each element's bytes are in <see cref="Body"/>, as far as the page still holds them.</param>
internal sealed record MutatedPage(byte[] Body, IReadOnlyList<(int Start, int End)> Ranges)
{
    public IEnumerable<byte[]> Elements => Ranges.Select(range => Body[range.Start..range.End]);

    public static MutatedPage Make(IReadOnlyList<byte[]> elements, bool broken, Random random)
    {
        var body = new List<byte>();
        var ranges = new List<(int Start, int End)>();
        if (!broken || random.Next(8) != 0)
        {
            body.Add((byte)'[');
        }

        for (var i = 0; i < elements.Count; i++)
        {
            if (i > 0)
            {
                body.AddRange(broken ? Separator(random) : ","u8.ToArray());
            }

            ranges.Add((body.Count, body.Count + elements[i].Length));
            body.AddRange(elements[i]);
        }

        if (!broken || random.Next(8) != 0)
        {
            body.Add((byte)']');
        }

        if (broken && random.Next(8) == 0)
        {
            var cut = random.Next(body.Count);
            body.RemoveRange(cut, body.Count - cut);
            ranges = ranges.Where(range => range.Start < cut).Select(range => (range.Start, Math.Min(range.End, cut))).ToList();
        }

        return new MutatedPage([.. body], ranges);
    }

    private static byte[] Separator(Random random) => random.Next(20) switch
    {
        0 => [],
        1 => ",,"u8.ToArray(),
        2 => [(byte)',', .. Garbage(random), (byte)','],
        3 => " ,\n "u8.ToArray(),
        _ => ","u8.ToArray(),
    };

    private static byte[] Garbage(Random random)
    {
        var bytes = new byte[random.Next(1, 9)];
        random.NextBytes(bytes);
        return bytes;
    }
}
