using Microsoft.Extensions.Configuration;

namespace GithubEvents.ServiceDefaults;

/// <summary>Settings that moved to another key: a value under the old one stops start-up instead of being ignored.</summary>
public static class RenamedSettings
{
    /// <summary>The pipeline's renamed keys: old, new.</summary>
    public static readonly IReadOnlyList<(string Old, string New)> All =
    [
        ("Enrich:Topic", "Kafka:Topics:Raw"),
        ("Enrich:DeadLetterTopic", "Kafka:Topics:DeadLetters"),
        ("Kafka:Retention", "Kafka:Topics:Retention"),
        ("Kafka:RetentionBytes", "Kafka:Topics:RetentionBytes"),
    ];

    /// <summary>What is wrong with the configuration's use of old keys, one sentence a key; empty when nothing is.</summary>
    public static IReadOnlyList<string> Problems(IConfiguration configuration) =>
        All.Where(rename => configuration.GetSection(rename.Old).Value is not null)
            .Select(rename => $"{rename.Old} is no longer read: set {rename.New} instead (the same value).")
            .ToList();
}
