using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GithubEvents.Tests.AppHost;

/// <summary>
/// The whole AppHost run by Aspire (DCP starts the two services as processes) in no-container mode, against
/// the test PostgreSQL cluster and the Kafka mock cluster.
/// </summary>
public sealed class AppHostRunTests(PostgresServer postgres, KafkaMockCluster kafka)
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task Ingest_and_enrich_become_healthy_against_existing_Kafka_and_PostgreSQL()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var database = await postgres.CreateDatabaseAsync();
        var appHost = await DistributedApplicationTestingBuilder.CreateAsync<Projects.GithubEvents_AppHost>(
            [$"--ConnectionStrings:kafka={kafka.BootstrapServers}", $"--ConnectionStrings:github-events={database}", StandInGrafana.NoneOnPath],
            cancellationToken);
        appHost.Services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));

        await using var app = await appHost.BuildAsync(cancellationToken).WaitAsync(StartTimeout, cancellationToken);
        await app.StartAsync(cancellationToken).WaitAsync(StartTimeout, cancellationToken);

        await app.ResourceNotifications.WaitForResourceHealthyAsync("ingest", cancellationToken).WaitAsync(StartTimeout, cancellationToken);
        await app.ResourceNotifications.WaitForResourceHealthyAsync("enrich", cancellationToken).WaitAsync(StartTimeout, cancellationToken);

        using var ingest = app.CreateHttpClient("ingest");
        using var enrich = app.CreateHttpClient("enrich");
        Assert.Equal("Healthy", await ingest.GetStringAsync("/health", cancellationToken));
        Assert.Equal("Healthy", await enrich.GetStringAsync("/health", cancellationToken));
        Assert.Equal("Healthy", await enrich.GetStringAsync("/alive", cancellationToken));
    }
}
