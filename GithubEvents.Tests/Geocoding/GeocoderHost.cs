using GithubEvents.Enrich.Geocoding;
using GithubEvents.Enrich.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GithubEvents.Tests.Geocoding;

/// <summary>
/// Enrich's geocoding as one replica runs it: <c>AddGeocoding()</c> on a host of its own, with its own connections
/// to the test database and its own memory cache. Two of these on one database are two replicas.
/// </summary>
internal sealed class GeocoderHost : IAsyncDisposable
{
    private readonly IHost _host;

    private GeocoderHost(IHost host) => _host = host;

    public Geocoder Geocoder => _host.Services.GetRequiredService<Geocoder>();

    public static async Task<GeocoderHost> StartAsync(string connectionString, Uri? nominatim, TimeProvider? time = null,
        IDictionary<string, string?>? settings = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"ConnectionStrings:{WriterDataSource.ConnectionName}"] = connectionString,
            ["Geocoding:NominatimUrl"] = nominatim?.AbsoluteUri ?? "",
            ["Geocoding:UserAgent"] = nominatim is null ? null : "GithubEvents.Tests (github-events-tests@example.org)",
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        builder.Logging.ClearProviders();
        builder.Services.AddMetrics();
        builder.Services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.SectionName);
        builder.Services.AddSingleton<WriterDataSource>();
        builder.Services.AddSingleton(time ?? TimeProvider.System);
        builder.AddGeocoding();

        var host = builder.Build();
        await host.StartAsync(TestContext.Current.CancellationToken);
        return new GeocoderHost(host);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}
