namespace GithubEvents.Enrich.Profiles;

/// <summary>The GraphQL points budget as the answer's <c>rateLimit</c> field gives it.</summary>
public sealed record GraphQLRateLimit(int Limit, int Cost, int Remaining, DateTimeOffset ResetAt);
