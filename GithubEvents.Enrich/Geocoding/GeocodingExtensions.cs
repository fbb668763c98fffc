using GithubEvents.Enrich;
using GithubEvents.Enrich.Geocoding;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

public static class GeocodingExtensions
{
    /// <summary>The <see cref="Geocoder"/> and its parts, with the <c>Geocoding</c> settings validated at start-up.</summary>
    public static IHostApplicationBuilder AddGeocoding(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<GeocodingOptions>().BindConfiguration(GeocodingOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        // Nominatim's pacing and back-off are the geocoder's own (shared by all replicas through the database): the
        // service defaults' retries would send requests out of turn.
#pragma warning disable EXTEXP0001
        services.AddHttpClient(NominatimClient.HttpClientName, (provider, http) =>
            {
                var settings = provider.GetRequiredService<IOptions<GeocodingOptions>>().Value;
                if (settings.UsesNominatim && settings.NominatimUrl is { } url)
                {
                    http.BaseAddress = new Uri(url.AbsoluteUri.TrimEnd('/') + "/");
                }

                http.Timeout = settings.RequestTimeout;
            })
            .RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
        services.AddSingleton(_ => Gazetteer.Load());
        services.AddSingleton<LocationStore>();
        services.AddSingleton<NominatimClient>();
        services.AddSingleton<NominatimPacing>();
        // Enrich's meter, unless the rest of Enrich registered it already (the geocoding also runs on its own, in tests).
        services.TryAddSingleton<EnrichMeter>();
        services.AddSingleton<GeocodingMetrics>();
        services.AddSingleton<Geocoder>();
        return builder;
    }
}
