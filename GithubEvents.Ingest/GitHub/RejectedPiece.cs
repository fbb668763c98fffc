namespace GithubEvents.Ingest.GitHub;

/// <summary>Bytes of a feed page that are no event, why, and where in the page's body they start.</summary>
public sealed record RejectedPiece(ReadOnlyMemory<byte> Bytes, string Reason, int Offset);
