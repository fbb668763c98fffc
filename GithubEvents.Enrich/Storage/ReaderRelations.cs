namespace GithubEvents.Enrich.Storage;

/// <summary>
/// The relations Grafana's reader may read: those the dashboards' and alert rules' queries name, and no other (the
/// profiles in <c>actors</c>, <c>events</c> itself (its payloads, places and companies: the dashboards read
/// <c>v_dashboard_events</c>) and the schema's own records stay out of its reach).
/// <c>ReaderRelationsTests</c> derives the list from the provisioning files, so a panel that reads a new relation
/// fails it until the relation is added here.
/// </summary>
public static class ReaderRelations
{
    public static readonly IReadOnlyList<string> Names =
    [
        "country_stats_5m",
        "event_stats_1m",
        "event_stats_5m",
        "ingest_polls",
        "kafka_gaps",
        "pipeline_minutes",
        "top_actors_24h",
        "top_repos_24h",
        "v_aggregate_freshness",
        "v_archive",
        "v_capture_by_hour",
        "v_dashboard_events",
        "v_enrichment_coverage",
        "v_kafka_gaps_by_hour",
        "v_polls_by_hour",
        "watch_polls",
        "watch_stats_5m",
    ];
}
