using GithubEvents.Enrich.Events;
using GithubEvents.Enrich.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace GithubEvents.Tests.Enrich;

/// <summary>The writer's backlog of old rows' actors follows whether the profile lookups, which work it off, are on.</summary>
public sealed class ActorBacklogQueueingTests(PostgresServer postgres)
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_writer_as_Enrich_registers_it_queues_old_rows_actors_exactly_while_profiles_are_enabled(bool profiles)
    {
        await using var database = await EventDatabase.CreateAsync(postgres, SchemaFlavor.Postgres);
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:kafka"] = "127.0.0.1:9",
            [$"ConnectionStrings:{WriterDataSource.ConnectionName}"] = database.ConnectionString,
            ["Profiles:Enabled"] = profiles ? "true" : "false",
        });
        builder.AddApplicationServices();
        using var host = builder.Build();
        host.Services.GetRequiredService<StorageReadiness>().Ready(database.Path);

        // Two days old, as a backfilled hour's: past the lookups' activity window, and by actors nobody looked up yet.
        var rows = Enumerable.Range(1, 3).Select(i =>
        {
            Assert.True(GitHubEventParser.TryParse(TestEvents.Event(i, "WatchEvent", DateTime.UtcNow.AddDays(-2), $"actor{i}", 100 + i, "octo/repo"), out var row, out _));
            return row;
        }).ToList();
        var outcome = await host.Services.GetRequiredService<EventWriter>().WriteAsync(rows, TestContext.Current.CancellationToken);

        Assert.Equal(3, outcome.Inserted);
        Assert.Equal(3L, await Sql.ScalarAsync(database.ConnectionString, "SELECT count(*) FROM events"));
        Assert.Equal(profiles ? 3L : 0L, await Sql.ScalarAsync(database.ConnectionString, "SELECT count(*) FROM actor_backlog"));
    }
}
