using GithubEvents.Enrich.Geocoding;
using GithubEvents.Enrich.Profiles;
using GithubEvents.Tests.Profiles;

namespace GithubEvents.Tests.Geocoding;

/// <summary>The geocoding of actors' locations in the background, and the filling of their rows with the places.</summary>
public sealed class PlaceFillingTests(PostgresServer postgres)
{
    [Fact]
    public async Task A_location_key_stored_by_another_normalisation_is_placed_once_and_not_asked_about_again()
    {
        var arranged = await ProfileRun.ArrangeAsync(postgres);
        await ProfileRun.WriteEventsAsync(arranged.Database, [(91, "uma", 1), (91, "uma", 2)]);
        await new ActorStore(arranged.Database.WriterDataSource).SaveAsync(
            [new ActorLookup(91, "uma", new GitHubProfile(91, "uma", ActorType.User, Location: "Berlin, Germany"))],
            DateTimeOffset.UtcNow, TestContext.Current.CancellationToken);
        // As a version that dropped the commas would have stored it.
        const string storedKey = "berlin germany";
        Assert.NotEqual(storedKey, LocationKey.Normalize("Berlin, Germany"));
        await Sql.ExecuteAsync(arranged.Database.ConnectionString, $"UPDATE actors SET location_key = '{storedKey}' WHERE id = 91");
        await using var run = await ProfileRun.StartAsync(arranged, places: true);

        await EnrichPipeline.EventuallyAsync(async () => await run.CountAsync("SELECT count(*) FROM events WHERE country_code = 'DE'") == 2, "uma's rows placed");
        Assert.Equal([[storedKey, "DE", "gazetteer"]], await run.RowsAsync("SELECT key, country_code, provider FROM locations"));

        // Idle passes later, the location was placed that once.
        for (var pass = 0; pass < 3; pass++)
        {
            await run.Time.CompleteNextWaitAsync();
        }

        await run.Time.NextWaitAsync();
        Assert.Single(run.Logs.Entries, log => log.Category == typeof(PlaceFilling).FullName && log.Message.StartsWith("Placed ", StringComparison.Ordinal));
    }
}
