using GithubEvents.Enrich.Profiles;

namespace GithubEvents.Enrich.Restoring;

/// <summary>
/// What one restoration query answered: the objects it settled (found or not found; an object an error other than
/// NOT_FOUND left out is not among them), the points it cost, and whether GitHub refused it for the rate limit.
/// </summary>
public sealed record RestorationBatch(IReadOnlyList<RestoredObject> Objects, GraphQLRateLimit? RateLimit, bool RateLimited);
