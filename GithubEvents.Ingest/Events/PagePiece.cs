namespace GithubEvents.Ingest.Events;

/// <summary>
/// A part of a feed page's body (<see cref="FeedPageSplitter"/>): an element of its JSON array, or a stretch of bytes
/// that is none (<see cref="Broken"/> says why).
/// </summary>
/// <param name="Offset">Where the part starts in the body.</param>
public readonly record struct PagePiece(int Offset, int Length, string? Broken)
{
    public bool IsElement => Broken is null;
}
