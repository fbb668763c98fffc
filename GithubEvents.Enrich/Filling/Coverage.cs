namespace GithubEvents.Enrich.Filling;

/// <summary>One row of <c>v_enrichment_coverage</c>.</summary>
public sealed record Coverage(string Period, long Events, double ProfileShare, double CountryShare);
