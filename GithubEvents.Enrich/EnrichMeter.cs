using System.Diagnostics.Metrics;

namespace GithubEvents.Enrich;

/// <summary>
/// Enrich's one meter (<see cref="EnrichTelemetry.Name"/>), made once by the host's meter factory, on which each
/// capability's metrics class (the write path's, the geocoding's, the lookups', the fills', the restorations') declares
/// its instruments.
/// </summary>
public sealed class EnrichMeter(IMeterFactory meterFactory)
{
    public Meter Meter { get; } = meterFactory.Create(EnrichTelemetry.Name);

    public Counter<long> Counter(string name, string unit, string description) => Meter.CreateCounter<long>(name, unit, description);
}
