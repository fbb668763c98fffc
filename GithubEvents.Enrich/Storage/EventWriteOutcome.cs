namespace GithubEvents.Enrich.Storage;

/// <summary>What a batch's write did: rows new to the database, and rows stored before that another source delivered now.</summary>
public readonly record struct EventWriteOutcome(int Inserted, int Marked);
