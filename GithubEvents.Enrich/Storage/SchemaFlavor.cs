namespace GithubEvents.Enrich.Storage;

/// <summary>Which implementation of the schema a database holds.</summary>
public enum SchemaFlavor
{
    /// <summary>Plain PostgreSQL: rollup tables refreshed by Enrich, retention by DELETE.</summary>
    Postgres,

    /// <summary>A hypertable with compression, retention and continuous aggregates, all run by TimescaleDB.</summary>
    TimescaleDb,
}
