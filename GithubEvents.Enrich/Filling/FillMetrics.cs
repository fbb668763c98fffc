using System.Diagnostics.Metrics;

namespace GithubEvents.Enrich.Filling;

/// <summary>The row fills' instruments, on Enrich's meter.</summary>
public sealed class FillMetrics
{
    private readonly Counter<long> _rowsFilled;
    private volatile IReadOnlyList<Coverage> _coverage = [];

    public FillMetrics(EnrichMeter enrichMeter)
    {
        _rowsFilled = enrichMeter.Counter("enrich.rows.filled", "{event}", "Event rows filled in with a profile after they were written");
        var meter = enrichMeter.Meter;
        meter.CreateObservableGauge("enrich.coverage.profile_share", () => _coverage.Select(c =>
            new Measurement<double>(c.ProfileShare, new KeyValuePair<string, object?>("period", c.Period))),
            "1", "Share of the period's events whose row carries its actor's profile, or a bot's (v_enrichment_coverage)");
        meter.CreateObservableGauge("enrich.coverage.country_share", () => _coverage.Select(c =>
            new Measurement<double>(c.CountryShare, new KeyValuePair<string, object?>("period", c.Period))),
            "1", "Share of the period's events with a country (v_enrichment_coverage)");
    }

    public void Filled(long rows) => _rowsFilled.Add(rows);

    public void Covered(IReadOnlyList<Coverage> periods) => _coverage = periods;
}
