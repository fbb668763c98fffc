using GithubEvents.Enrich.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace GithubEvents.Tests.Enrich;

/// <summary>Enrich's services as the service registers them, with the given settings, in a host that connects to nothing until started.</summary>
internal static class EnrichHost
{
    public static IHost Build(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:kafka"] = "127.0.0.1:9",
            [$"ConnectionStrings:{WriterDataSource.ConnectionName}"] = "Host=127.0.0.1;Port=9;Database=none;Username=none",
        });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddApplicationServices();
        return builder.Build();
    }
}
