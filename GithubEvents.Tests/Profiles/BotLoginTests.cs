using GithubEvents.Enrich.Events;
using GithubEvents.Enrich.Profiles;
using GithubEvents.Enrich.Storage;

namespace GithubEvents.Tests.Profiles;

public sealed class BotLoginTests(PostgresServer postgres)
{
    [Fact]
    public async Task The_events_the_profiles_and_the_actors_table_tell_a_bot_s_login_by_one_case_sensitive_rule()
    {
        string[] logins = ["renovate[bot]", "Renovate[BOT]", "ci-helper[Bot]", "bot", "not[bot]really", "[bot]"];
        await using var database = await EventDatabase.CreateAsync(postgres, SchemaFlavor.Postgres);
        // Saved as users: the table's is_bot then says what the login alone says.
        await new ActorStore(database.WriterDataSource).SaveAsync(
            logins.Select((login, i) => new ActorLookup(i + 1, login, new GitHubProfile(i + 1, login, ActorType.User))).ToList(),
            DateTimeOffset.UtcNow, TestContext.Current.CancellationToken);
        var table = (await Sql.RowsAsync(database.ConnectionString, "SELECT login, is_bot FROM actors")).ToDictionary(row => (string)row[0]!, row => (bool)row[1]!);

        foreach (var (login, i) in logins.Select((login, i) => (login, i)))
        {
            Assert.True(GitHubEventParser.TryParse(TestEvents.Event(i + 1, "WatchEvent", DateTime.UtcNow, login, i + 1, "octo/repo"), out var row, out var rejection), rejection);
            Assert.Equal((login, table[login]), (login, row.IsBot));
            Assert.Equal((login, table[login]), (login, BotLogin.Is(login)));
        }

        Assert.Equal(["[bot]", "renovate[bot]"], table.Where(actor => actor.Value).Select(actor => actor.Key).Order(StringComparer.Ordinal));
    }
}
