namespace GithubEvents.Ingest.Archive;

/// <summary>Where the backfill is in a file's decompressed lines, and the line over the maximum it is passing, if any. No I/O.</summary>
public sealed class LineCursor
{
    /// <summary>The 1-based number of the current line (0 before the first).</summary>
    public long Line { get; private set; }

    /// <summary>Where the current line starts in the decompressed file.</summary>
    public long Offset { get; private set; }

    public OverlongLine? Overlong { get; private set; }

    /// <summary>A line of <paramref name="length"/> bytes and its newline begin the file's next line.</summary>
    public void Next(long length)
    {
        Line++;
        Offset = _next;
        _next += length + 1;
    }

    /// <summary>The next line is over the maximum; <paramref name="prefix"/> is what is kept of it.</summary>
    public void StartOverlong(byte[] prefix)
    {
        Line++;
        Offset = _next;
        Overlong = new OverlongLine(prefix, Offset);
    }

    /// <summary>The overlong line's newline was reached.</summary>
    public void EndOverlong()
    {
        _next += Overlong!.Length + 1;
        Overlong = null;
    }

    private long _next;
}
