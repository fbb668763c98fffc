using System.Text.Json;

namespace GithubEvents.Ingest.Events;

/// <summary>
/// Splits an events page (a JSON array of objects) into its elements as far as its bytes allow, so that no bytes in a page
/// cost the events around them. An element is a complete JSON object that a separator (<c>,</c>, <c>]</c>, the next
/// object or the end) follows. Where no element starts, a stretch begins; it runs to the next object that is an event
/// (<see cref="EventJson.TryRead"/>) and a separator follows, or to the end: a page with no element boundary at all is one
/// stretch. Every byte of the body other than the brackets, separators and white space between elements is in exactly
/// one piece. No I/O.
/// </summary>
public static class FeedPageSplitter
{
    public static List<PagePiece> Split(ReadOnlySpan<byte> body)
    {
        var pieces = new List<PagePiece>();
        var position = SkipWhiteSpace(body, 0);
        if (position < body.Length && body[position] == (byte)'[')
        {
            position = SkipWhiteSpace(body, position + 1);
        }

        int? stretch = null;
        string? why = null;
        while (position < body.Length)
        {
            if (stretch is null && body[position] == (byte)']' && SkipWhiteSpace(body, position + 1) == body.Length)
            {
                break;
            }

            var end = ElementEnd(body, position, mustBeEvent: stretch is not null, out var error);
            if (end > 0)
            {
                if (stretch is { } start)
                {
                    pieces.Add(new PagePiece(start, position - start, why));
                    stretch = null;
                }

                pieces.Add(new PagePiece(position, end - position, null));
                position = AfterSeparator(body, end);
                continue;
            }

            if (stretch is null)
            {
                stretch = position;
                why = error ?? (body[position] == (byte)'{' ? "an object that no separator follows" : "not a JSON object");
            }

            position = NextObject(body, position + 1);
        }

        if (stretch is { } last)
        {
            pieces.Add(new PagePiece(last, body.Length - last, why));
        }

        return pieces;
    }

    // The end of the object at start when it is an element (and an event, when asked); 0 when it is not.
    private static int ElementEnd(ReadOnlySpan<byte> body, int start, bool mustBeEvent, out string? error)
    {
        error = null;
        if (body[start] != (byte)'{')
        {
            return 0;
        }

        int end;
        try
        {
            var reader = new Utf8JsonReader(body[start..]);
            reader.Read();
            reader.Skip();
            end = start + (int)reader.BytesConsumed;
        }
        catch (JsonException ex)
        {
            error = $"malformed JSON: {ex.Message}";
            return 0;
        }

        var next = SkipWhiteSpace(body, end);
        if (next < body.Length && body[next] is not ((byte)',' or (byte)']' or (byte)'{'))
        {
            return 0;
        }

        return !mustBeEvent || EventJson.TryRead(body[start..end], out _, out _) ? end : 0;
    }

    // After an element: past its comma (or the closing bracket), to where the next piece may start.
    private static int AfterSeparator(ReadOnlySpan<byte> body, int end)
    {
        var next = SkipWhiteSpace(body, end);
        return next < body.Length && body[next] is (byte)',' or (byte)']' ? SkipWhiteSpace(body, next + 1) : next;
    }

    private static int NextObject(ReadOnlySpan<byte> body, int from)
    {
        var next = body[from..].IndexOf((byte)'{');
        return next < 0 ? body.Length : from + next;
    }

    private static int SkipWhiteSpace(ReadOnlySpan<byte> body, int from)
    {
        while (from < body.Length && body[from] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
        {
            from++;
        }

        return from;
    }
}
