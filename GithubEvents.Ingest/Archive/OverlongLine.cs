namespace GithubEvents.Ingest.Archive;

/// <summary>A line over <see cref="GhArchiveOptions.MaxLineBytes"/>: its first bytes, where it starts, its length so far.</summary>
public sealed class OverlongLine(byte[] prefix, long offset)
{
    public byte[] Prefix { get; } = prefix;

    public long Offset { get; } = offset;

    public long Length { get; set; }
}
