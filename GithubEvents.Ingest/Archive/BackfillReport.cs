namespace GithubEvents.Ingest.Archive;

public sealed record BackfillReport(int Hours, int Replayed, int Skipped, IReadOnlyList<string> Failures, long Events, long DeadLetters);
