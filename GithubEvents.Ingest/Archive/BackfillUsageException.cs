namespace GithubEvents.Ingest.Archive;

/// <summary>The command line was wrong; the message says how.</summary>
public sealed class BackfillUsageException(string message) : Exception(message);
