namespace GithubEvents.Ingest.Archive;

/// <summary>What a backfill did; <see cref="Empty"/>: hours the archive Enrich keeps has no file for, having had no events.</summary>
public sealed record BackfillReport(int Hours, int Replayed, int Skipped, IReadOnlyList<string> Failures, long Events, long DeadLetters, int Empty = 0);
