using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using GithubEvents.ServiceDefaults.Json;

namespace GithubEvents.Enrich.Events;

/// <summary>
/// E-mail addresses in event JSON hashed as GH Archive hashes them (<c>crawler/obfuscate.rb</c> in igrigorik/gharchive.org):
/// the value of every member named <c>email</c>, at any depth, that is a non-empty string becomes the sha1 of its local
/// part in lower-case hex, then <c>@</c> and the domain. Ruby's <c>split("@")</c> is followed to the letter: a value without
/// <c>@</c> (or with nothing after it) is hashed whole, with no domain; of several <c>@</c>, the domain is what lies between
/// the first and the second, the rest is dropped. A value whose local part is already 40 lower-case hex digits is left as
/// it is, so that GH Archive's own files are stored byte for byte. Other strings (a commit message quoting an address) are
/// not touched. No I/O and no parse: the JSON, valid as the parser left it, is searched for the member's name (a
/// vectorised byte search), and only the addresses are rewritten.
/// </summary>
public static class EmailAddressHashing
{
    private const int HashHexLength = 40;

    private static readonly SearchValues<byte> LowerHexDigits = SearchValues.Create("0123456789abcdef"u8);

    private static ReadOnlySpan<byte> MemberName => "\"email\""u8;

    /// <summary>The JSON with its addresses hashed; the same array when there was none to hash.</summary>
    public static byte[] Hashed(byte[] json)
    {
        ArrayBufferWriter<byte>? output = null;
        var copied = 0;
        for (var at = Find(json, 0); at >= 0; at = Find(json, Math.Max(at + MemberName.Length, copied)))
        {
            if (!TryFindValue(json, at, out var start, out var end, out var escaped))
            {
                continue;
            }

            var raw = json.AsSpan(start + 1, end - start - 1);
            if (raw.IsEmpty || LooksHashed(raw))
            {
                continue;
            }

            output ??= new ArrayBufferWriter<byte>(json.Length);
            output.Write(json.AsSpan(copied, start + 1 - copied));
            if (escaped)
            {
                WriteHashedEscaped(json.AsSpan(start, end + 1 - start), output);
            }
            else
            {
                WriteHashed(raw, output);
            }

            copied = end;
        }

        if (output is null)
        {
            return json;
        }

        output.Write(json.AsSpan(copied));
        return output.WrittenSpan.ToArray();
    }

    /// <summary>The JSON text with its addresses hashed (the same string when there was none to hash).</summary>
    public static string Hashed(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        var hashed = Hashed(bytes);
        return ReferenceEquals(hashed, bytes) ? json : Encoding.UTF8.GetString(hashed);
    }

    private static int Find(byte[] json, int from) =>
        from < json.Length && json.AsSpan(from).IndexOf(MemberName) is var next and >= 0 ? from + next : -1;

    // In valid JSON a quote after an even run of backslashes opens or closes a string, and "email" cannot follow a
    // closing quote: so the bytes found are the string "email", a member's name when a colon follows. The value's
    // span runs from its opening quote to its closing one; false when it is not a string.
    private static bool TryFindValue(byte[] json, int at, out int start, out int end, out bool escaped)
    {
        start = end = 0;
        escaped = false;
        var backslashes = 0;
        while (at - backslashes > 0 && json[at - backslashes - 1] == (byte)'\\')
        {
            backslashes++;
        }

        var i = SkipWhitespace(json, at + MemberName.Length);
        if (backslashes % 2 == 1 || i >= json.Length || json[i] != (byte)':')
        {
            return false;
        }

        i = SkipWhitespace(json, i + 1);
        if (i >= json.Length || json[i] != (byte)'"')
        {
            return false;
        }

        start = i;
        for (i++; i < json.Length; i += 2)
        {
            var next = json.AsSpan(i).IndexOfAny((byte)'"', (byte)'\\');
            if (next < 0)
            {
                return false;
            }

            i += next;
            if (json[i] == (byte)'"')
            {
                end = i;
                return true;
            }

            escaped = true;
        }

        return false;
    }

    private static int SkipWhitespace(byte[] json, int i)
    {
        while (i < json.Length && json[i] is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r')
        {
            i++;
        }

        return i;
    }

    private static bool LooksHashed(ReadOnlySpan<byte> address)
    {
        var local = LocalPart(address);
        return local.Length == HashHexLength && !local.ContainsAnyExcept(LowerHexDigits);
    }

    private static ReadOnlySpan<byte> LocalPart(ReadOnlySpan<byte> address) =>
        address.IndexOf((byte)'@') is var at and >= 0 ? address[..at] : address;

    // Ruby's split drops the empty fields at the end: "a@" and "a@@" have no domain, "a@@b" an empty one.
    private static bool TryGetDomain(ReadOnlySpan<byte> address, out ReadOnlySpan<byte> domain)
    {
        domain = default;
        var at = address.IndexOf((byte)'@');
        if (at < 0 || !address[(at + 1)..].ContainsAnyExcept((byte)'@'))
        {
            return false;
        }

        var rest = address[(at + 1)..];
        domain = rest.IndexOf((byte)'@') is var second and >= 0 ? rest[..second] : rest;
        return true;
    }

    // An address as the JSON holds it, without escapes: its bytes are its UTF-8 text.
    private static void WriteHashed(ReadOnlySpan<byte> address, IBufferWriter<byte> output)
    {
        WriteHash(LocalPart(address), output);
        if (TryGetDomain(address, out var domain))
        {
            output.Write("@"u8);
            output.Write(domain);
        }
    }

    // An address with escapes (System.Text.Json writes a '+' as \u002B): hashed from its text, its domain escaped again.
    private static void WriteHashedEscaped(ReadOnlySpan<byte> token, IBufferWriter<byte> output)
    {
        var reader = new Utf8JsonReader(token);
        reader.Read();
        var address = Encoding.UTF8.GetBytes(reader.GetLenientString());
        if (LooksHashed(address))
        {
            output.Write(token[1..^1]);
            return;
        }

        WriteHash(LocalPart(address), output);
        if (TryGetDomain(address, out var domain))
        {
            output.Write("@"u8);
            output.Write(JsonEncodedText.Encode(domain, JavaScriptEncoder.UnsafeRelaxedJsonEscaping).EncodedUtf8Bytes);
        }
    }

    private static void WriteHash(ReadOnlySpan<byte> localPart, IBufferWriter<byte> output)
    {
        Span<byte> hash = stackalloc byte[SHA1.HashSizeInBytes];
        SHA1.HashData(localPart, hash);
        Convert.TryToHexStringLower(hash, output.GetSpan(HashHexLength), out var written);
        output.Advance(written);
    }
}
