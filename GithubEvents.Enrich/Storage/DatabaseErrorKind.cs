namespace GithubEvents.Enrich.Storage;

/// <summary>What a failed write says about where the fault lies: see <see cref="DatabaseErrors"/>.</summary>
public enum DatabaseErrorKind
{
    /// <summary>The server's or the connection's state, which passes: retried whole, with back-off, for as long as it lasts.</summary>
    Transient,

    /// <summary>A value of the batch the database cannot hold (class 22, 54): the batch is split at once to find its event.</summary>
    RefusedValue,

    /// <summary>A refusal that comes again (a constraint, a trigger, corrupt data): retried whole a few times, then split.</summary>
    Permanent,
}
