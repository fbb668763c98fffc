using System.Text;
using GithubEvents.Enrich.Archive;
using Npgsql;

namespace GithubEvents.Tests.Archive;

/// <summary>
/// An event's json.gz line is put together from the texts of its envelope and payload: it must be byte for byte the text
/// PostgreSQL prints for <c>envelope || jsonb_build_object('payload', payload)</c>, whatever keys the envelope has.
/// </summary>
public sealed class EventLineTests(PostgresServer postgres)
{
    public static TheoryData<string, string> Events => new()
    {
        { """{"id": "1", "type": "PushEvent", "actor": {"id": 1, "login": "a"}, "public": true, "created_at": "2026-01-01T00:00:00Z"}""", """{"ref": "refs/heads/main", "head": "abc"}""" },
        { "{}", """{"action": "opened"}""" },
        { """{"a": 1}""", "{}" },
        { """{"zzzzzzzzzzz": 1}""", "null" },
        { """{"package": 1, "private": 2}""", """[1, "two", null]""" },
        { """{"payloaa": 1, "payloaz": 2, "payloads": 3}""", "\"text\"" },
        { """{"id": 1, "payload": {"old": true}, "created_at": "x"}""", """{"new": true}""" },
        { """{"id": 1, "payload": 0}""", "1" },
        { """{"payload": 0}""", "2" },
        { """{"org": {"payload": {"payload": 1}}, "repo": {"created_at": "x"}, "é": "é", "\"q\"": "\\"}""", """{"payload": "nested"}""" },
        { """{"a\tb": 1, "e\u0301": [{"x": "}"}], "😀😀": {"k": "\"payload\": "}}""", """{"s": "é ✓ 😀 \"q\" \\ \t"}""" },
        { """{"pa\"load": 1, "payl\\d": 2, "paylo\nd": 3}""", """{"x": 1}""" },
    };

    [Theory]
    [MemberData(nameof(Events))]
    public async Task The_line_is_the_text_postgresql_prints_for_the_envelope_with_the_payload(string envelope, string payload)
    {
        await using var dataSource = NpgsqlDataSource.Create(postgres.ConnectionString);
        await using var command = dataSource.CreateCommand("SELECT $1::jsonb::text, $2::jsonb::text, ($1::jsonb || jsonb_build_object('payload', $2::jsonb))::text");
        command.Parameters.Add(new NpgsqlParameter { Value = envelope });
        command.Parameters.Add(new NpgsqlParameter { Value = payload });
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        await reader.ReadAsync(TestContext.Current.CancellationToken);
        using var line = new MemoryStream();

        EventLine.Write(line, reader.GetFieldValue<byte[]>(0), reader.GetFieldValue<byte[]>(1));

        Assert.Equal(reader.GetString(2), Encoding.UTF8.GetString(line.ToArray()));
    }

    [Fact]
    public void An_envelope_that_is_not_an_object_is_refused_with_a_reason()
    {
        var error = Assert.Throws<InvalidDataException>(() => EventLine.Write(Stream.Null, "[1]"u8, "{}"u8));

        Assert.Contains("envelope", error.Message, StringComparison.Ordinal);
    }
}
