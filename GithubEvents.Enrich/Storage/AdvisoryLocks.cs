namespace GithubEvents.Enrich.Storage;

/// <summary>
/// Every advisory lock the replicas take, by name (the key is <c>hashtext(name)</c>), so that no two kinds of work share
/// one by accident. <c>github-events:rollup-refresh</c> is taken inside <c>rollup.refresh()</c>
/// (<c>0002_aggregates.postgres.sql</c>), and <c>github-events:role:{role}</c> by <see cref="DatabaseRoles"/>.
/// </summary>
public static class AdvisoryLocks
{
    /// <summary>Migrations and role setup at start-up: replicas starting together take turns.</summary>
    public const string Setup = "github-events:setup";

    /// <summary>The leader of the profile lookups (the token's budget is one for all replicas).</summary>
    public const string Profiles = "github-events:profiles";

    /// <summary>The leader of the restorations of trimmed payloads (the same token's GraphQL budget).</summary>
    public const string Restorations = "github-events:restorations";

    /// <summary>The leader of the geocoding of actors' locations.</summary>
    public const string Places = "github-events:places";

    /// <summary>The leader of the late filling.</summary>
    public const string LateFilling = "github-events:late-filling";

    /// <summary>The leader of the hourly archive.</summary>
    public const string Archive = "github-events:archive";

    /// <summary>A transaction lock: one row fill at a time, so that fills updating the same rows queue rather than deadlock.</summary>
    public const string RowFilling = "github-events:row-filling";

    /// <summary>Taken by one transaction that creates or changes a login role.</summary>
    public const string RolePrefix = "github-events:role:";
}
