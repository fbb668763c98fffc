namespace GithubEvents.Enrich.Profiles;

/// <summary>
/// What one of GitHub's answers told: accounts found or not found (<see cref="Lookups"/>), or actors whose stored profile
/// is still GitHub's (<see cref="Unchanged"/>, a REST 304).
/// </summary>
/// <param name="Source">The API that answered (<c>graphql</c>, <c>rest</c>), for the metrics.</param>
public sealed record ProfileAnswer(string Source, IReadOnlyList<ActorLookup> Lookups, IReadOnlyList<long> Unchanged);
