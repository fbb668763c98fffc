namespace GithubEvents.Enrich.Storage;

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
