namespace GithubEvents.Enrich.Consuming;

/// <summary>
/// One assigned partition's lag at a minute's end: the messages Kafka holds beyond the consumer's position, and the age
/// of the newest message finished on it while it has lag (null when none was finished yet; 0 without lag).
/// </summary>
public sealed record PartitionLag(string Topic, int Partition, long Messages, double? Seconds);
