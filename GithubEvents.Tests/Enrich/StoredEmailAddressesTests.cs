using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using GithubEvents.Enrich.Events;
using GithubEvents.Enrich.Restoring;
using GithubEvents.Enrich.Storage;

namespace GithubEvents.Tests.Enrich;

/// <summary>
/// Commit authors' e-mail addresses as the write path and the restorations store them, read back through
/// <c>v_raw_events</c> (what is passed on) and the tables. On the plain PostgreSQL path: the hashing is the same on both,
/// and no retention job drops the 2021 sample meanwhile.
/// </summary>
public sealed class StoredEmailAddressesTests(PostgresServer postgres)
{
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    [Fact]
    public async Task The_recorded_GH_Archive_samples_addresses_are_stored_as_GH_Archive_hashed_them()
    {
        await using var database = await OpenAsync(keepEmailAddresses: false);

        await WriteAsync(database, ArchiveFixture.Events);

        var sent = ArchiveFixture.Events.Select(json => JsonNode.Parse(json)!).ToDictionary(Id, Addresses);
        var stored = await StoredAddressesAsync(database);
        Assert.Equal(ArchiveFixture.EventCount, stored.Count);
        Assert.True(sent.Values.Sum(addresses => addresses.Count) > 600);
        foreach (var (id, addresses) in sent)
        {
            Assert.Equal(addresses, stored[id]);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Addresses_sent_in_clear_are_stored_hashed_and_kept_as_sent_with_the_setting(bool keepEmailAddresses)
    {
        await using var database = await OpenAsync(keepEmailAddresses);
        var events = ArchiveFixture.Events.Select(json => JsonNode.Parse(json)!).ToList();
        var clear = new Dictionary<long, List<string?>>();
        var hashed = new Dictionary<long, List<string?>>();
        foreach (var (json, i) in events.Select((json, i) => (json, i)))
        {
            var commits = json["payload"]!["commits"] as JsonArray ?? [];
            clear[Id(json)] = [];
            hashed[Id(json)] = [];
            foreach (var (author, c) in commits.Select((commit, c) => (commit!["author"]!, c)))
            {
                // GH Archive's domain (none when it hashed a value without @), with a local part of our own.
                var domain = author["email"]!.GetValue<string>().Split('@', 2) is [_, var host] ? "@" + host : "";
                var local = i % 5 == 0 ? $"jürgen.müller.{i}" : $"dev.{i}.{c}+ci";
                author["email"] = local + domain;
                clear[Id(json)].Add(local + domain);
                hashed[Id(json)].Add(EmailAddressHashingTests.Sha1Hex(local) + domain);
            }
        }

        // Half as System.Text.Json writes by default ('+' and non-ASCII escaped), half with them as they are.
        await WriteAsync(database, events.Select((json, i) => System.Text.Encoding.UTF8.GetBytes(i % 2 == 0 ? json.ToJsonString() : json.ToJsonString(Relaxed))));

        var stored = await StoredAddressesAsync(database);
        Assert.True(clear.Values.Sum(addresses => addresses.Count) > 600);
        foreach (var (id, addresses) in keepEmailAddresses ? clear : hashed)
        {
            Assert.Equal(addresses, stored[id]);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_restored_commits_author_address_is_stored_hashed_and_kept_as_sent_with_the_setting(bool keepEmailAddresses)
    {
        const string Repo = "acme/widgets";
        const string Address = "Dev.One+ci@example.com";
        var cancellation = TestContext.Current.CancellationToken;
        await using var database = await OpenAsync(keepEmailAddresses);
        var now = DateTimeOffset.UtcNow;
        var push = TestEvents.Event(1, "PushEvent", now.AddMinutes(-10).UtcDateTime, "dev", 4242, Repo, TestEvents.TrimmedPush("main"));
        Assert.True(GitHubEventParser.TryParse(push, out var row, out var rejection), rejection);
        await database.Writer.WriteAsync([row with { Sources = SourceBits.Watch }], cancellation);
        var head = TestEvents.TrimmedPush("main")["head"]!.GetValue<string>();
        var store = new RestorationStore(database.WriterDataSource, Microsoft.Extensions.Options.Options.Create(database.Storage));

        // As PayloadRestorer does: GitHub's answer saved, then the rows waiting for it patched.
        var commit = new JsonObject { ["sha"] = head, ["author"] = new JsonObject { ["email"] = Address, ["name"] = "Dev One" }, ["message"] = "Fix it" };
        await store.SaveAsync([new RestoredObject(new RestoreTarget(Repo, RestoreTarget.Commit, head), commit)], now, cancellation);
        var answered = await store.AnsweredAsync(now.AddDays(-1), 10, cancellation);
        Assert.Equal(1, await store.PatchAsync(answered.Select(pair => PayloadRestoration.Restore(pair.Row, pair.Value!)).ToList(), cancellation));

        var expected = keepEmailAddresses ? Address : EmailAddressHashingTests.Sha1Hex("Dev.One+ci") + "@example.com";
        Assert.Equal(expected, await Sql.ScalarAsync(database.ConnectionString, "SELECT value->'author'->>'email' FROM restored_objects"));
        Assert.Equal(expected, await Sql.ScalarAsync(database.ConnectionString, "SELECT payload->'commits'->0->'author'->>'email' FROM events"));
    }

    private async Task<EventDatabase> OpenAsync(bool keepEmailAddresses) =>
        await EventDatabase.OpenAsync(await postgres.CreateDatabaseAsync(), new StorageOptions
        {
            TimescaleDb = TimescaleDbUse.Never,
            Retention = TimeSpan.FromDays(36_500),
            KeepEmailAddresses = keepEmailAddresses,
        });

    private static async Task WriteAsync(EventDatabase database, IEnumerable<byte[]> events)
    {
        var rows = events.Select(json => GitHubEventParser.TryParse(json, out var row, out var rejection) ? row : throw new InvalidOperationException(rejection)).ToList();
        await database.Writer.WriteAsync(rows, TestContext.Current.CancellationToken);
    }

    private static async Task<Dictionary<long, List<string?>>> StoredAddressesAsync(EventDatabase database) =>
        (await Sql.RowsAsync(database.ConnectionString, "SELECT event::text FROM v_raw_events"))
        .Select(row => JsonNode.Parse((string)row[0]!)!)
        .ToDictionary(Id, Addresses);

    private static long Id(JsonNode json) => long.Parse(json["id"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);

    private static List<string?> Addresses(JsonNode json) =>
        (json["payload"]!["commits"] as JsonArray ?? []).Select(commit => commit!["author"]!["email"]?.GetValue<string>()).ToList();
}
