namespace GithubEvents.Enrich.Storage;

/// <summary>Which implementation of the schema a database holds.</summary>
public enum StoragePath
{
    /// <summary>Plain PostgreSQL: rollup tables refreshed by Enrich, retention by DELETE.</summary>
    Postgres,

    /// <summary>A hypertable with compression, retention and continuous aggregates, all run by TimescaleDB.</summary>
    TimescaleDb,
}

/// <summary>Whether to use the TimescaleDB extension for a new schema.</summary>
public enum TimescaleDbUse
{
    /// <summary>Use it when the server has it loaded, else plain PostgreSQL.</summary>
    Auto,

    /// <summary>Stop start-up when the server cannot load it.</summary>
    Required,

    /// <summary>Plain PostgreSQL even where the extension exists.</summary>
    Never,
}
