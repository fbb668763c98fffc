namespace GithubEvents.Enrich.Events;

/// <summary>
/// PostgreSQL's jsonb cannot hold the escape <c>\u0000</c>, which does occur in GitHub payloads (commit messages,
/// issue bodies). Such events are kept with each <c>\u0000</c> replaced by <c>\ufffd</c>, the replacement character;
/// every other byte stays as received.
/// </summary>
public static class JsonbText
{
    private static ReadOnlySpan<byte> NulEscape => "\\u0000"u8;

    private static ReadOnlySpan<byte> Replacement => "\\ufffd"u8;

    public static byte[] Storable(byte[] json)
    {
        if (json.AsSpan().IndexOf(NulEscape) < 0)
        {
            return json;
        }

        var result = new byte[json.Length];
        var source = json.AsSpan();
        var i = 0;
        while (i < source.Length)
        {
            if (source[i] != (byte)'\\' || i + 1 >= source.Length)
            {
                result[i] = source[i];
                i++;
            }
            else if (source[i..].StartsWith(NulEscape))
            {
                Replacement.CopyTo(result.AsSpan(i));
                i += NulEscape.Length;
            }
            else
            {
                // Any other escape pair is copied whole, so an escaped backslash followed by "u0000" stays text.
                result[i] = source[i];
                result[i + 1] = source[i + 1];
                i += 2;
            }
        }

        return result;
    }
}
