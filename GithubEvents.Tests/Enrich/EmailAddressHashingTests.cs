using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using GithubEvents.Enrich.Events;

namespace GithubEvents.Tests.Enrich;

public sealed class EmailAddressHashingTests
{
    /// <summary>A JSON string literal as an <c>email</c> member's value, and the text it should hold once hashed.</summary>
    public static TheoryData<string, string> Addresses => new()
    {
        // GH Archive's own test vector (crawler/obfuscate_test.rb in igrigorik/gharchive.org).
        { "\"example@gharchive.org\"", "c3499c2729730a7f807efb8676a92dcb6f8a3f8f@gharchive.org" },
        // A value without @ as the recorded sample holds it: GH Archive hashed "YOUR EMAIL ADDRESS" whole.
        { "\"YOUR EMAIL ADDRESS\"", "23f6a0713fca098434027764f6a2a425f389fdab" },
        { "\"dev+ci@example.com\"", Sha1Hex("dev+ci") + "@example.com" },
        // System.Text.Json writes a '+' escaped: the address is hashed from its text.
        { "\"dev\\u002Bci@example.com\"", Sha1Hex("dev+ci") + "@example.com" },
    };

    /// <summary>Values that are addresses only in name, hashed the way Ruby's <c>split("@")</c> in GH Archive's code cuts them.</summary>
    public static TheoryData<string, string> OddAddresses => new()
    {
        { "\"a@b@c\"", Sha1Hex("a") + "@b" },
        { "\"a@\"", Sha1Hex("a") },
        { "\"a@@\"", Sha1Hex("a") },
        { "\"a@@b\"", Sha1Hex("a") + "@" },
        { "\"@b\"", Sha1Hex("") + "@b" },
        { "\"@\"", Sha1Hex("") },
        { "\"jürgen.müller@exämple.de\"", Sha1Hex("jürgen.müller") + "@exämple.de" },
        { "\"\\u00e9l\\u00e8ve@\\u00e9cole.fr\"", Sha1Hex("élève") + "@école.fr" },
        { "\"x@a\\\"b\\\\c\"", Sha1Hex("x") + "@a\"b\\c" },
        { "\"\\ud83d@example.com\"", Sha1Hex("\ufffd") + "@example.com" },
        { "\"no address at all\"", Sha1Hex("no address at all") },
    };

    [Theory]
    [MemberData(nameof(Addresses))]
    [MemberData(nameof(OddAddresses))]
    public void An_email_members_address_is_hashed_as_GH_Archive_hashes_it(string value, string expected)
    {
        var json = Encoding.UTF8.GetBytes($$"""{"author":{"name":"A","email":{{value}}},"message":"m"}""");

        var hashed = EmailAddressHashing.Hashed(json);

        var author = JsonNode.Parse(hashed)!["author"]!;
        Assert.Equal(expected, author["email"]!.GetValue<string>());
        Assert.Equal("A", author["name"]!.GetValue<string>());
        Assert.Same(hashed, EmailAddressHashing.Hashed(hashed));
    }

    [Fact]
    public void Only_the_string_values_of_members_named_email_are_hashed_at_any_depth()
    {
        const string Json =
            """
            {"email" : "top@example.org", "user_email": "me@example.org", "message": "set \"email\": \"me@example.org\"",
             "commits": [{"author": {"email":
               "one@example.org"}}, {"author": {"email": "two@example.org"}}],
             "nested": {"email": {"email": "inner@example.org"}}, "null": {"email": null}, "number": {"email": 7},
             "empty": {"email": ""}, "name": "email", "tags": ["email", "x@example.org"]}
            """;

        var hashed = JsonNode.Parse(EmailAddressHashing.Hashed(Encoding.UTF8.GetBytes(Json)))!;

        var expected = JsonNode.Parse(Json)!;
        expected["email"] = Sha1Hex("top") + "@example.org";
        expected["commits"]![0]!["author"]!["email"] = Sha1Hex("one") + "@example.org";
        expected["commits"]![1]!["author"]!["email"] = Sha1Hex("two") + "@example.org";
        expected["nested"]!["email"]!["email"] = Sha1Hex("inner") + "@example.org";
        Assert.True(JsonNode.DeepEquals(expected, hashed), hashed.ToJsonString());
    }

    [Fact]
    public void The_recorded_GH_Archive_sample_and_any_address_already_hashed_are_left_byte_for_byte()
    {
        var withAddresses = 0;
        foreach (var json in ArchiveFixture.Events)
        {
            Assert.Same(json, EmailAddressHashing.Hashed(json));
            withAddresses += Encoding.UTF8.GetString(json).Contains("\"email\":\"", StringComparison.Ordinal) ? 1 : 0;
        }

        Assert.True(withAddresses > 100, $"only {withAddresses} events with an address");
        const string Hashed = """{"email":"15d8c3070dffc755df9ea39fc7c0c8fcb59772c5@users.noreply.github.com"}""";
        Assert.Equal(Hashed, EmailAddressHashing.Hashed(Hashed));
        Assert.Equal("{}", EmailAddressHashing.Hashed("{}"));
    }

    /// <summary>The hash GH Archive gives a local part, computed here on its own: sha1 of its UTF-8 bytes, in lower-case hex.</summary>
    internal static string Sha1Hex(string localPart) => Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(localPart)));
}
