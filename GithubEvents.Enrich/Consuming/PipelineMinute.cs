namespace GithubEvents.Enrich.Consuming;

/// <summary>One row of <c>pipeline_minutes</c>: what this replica did in one minute, and its lag at the minute's end.</summary>
public sealed record PipelineMinute(
    DateTime Minute,
    int Batches,
    int Messages,
    double WriteSeconds,
    IReadOnlyDictionary<string, int> DeadLetters,
    IReadOnlyList<PartitionLag> Lag,
    long? DiskBytes);
