using GithubEvents.Enrich.Events;
using Parquet;
using Parquet.Schema;

namespace GithubEvents.Enrich.Archive;

/// <summary>
/// An hour's events as Parquet for analysts (the columns: docs/archive.md, "Layout"): typed columns, zstd, a row group every
/// <c>Archive:RowGroupRows</c> events, which are held until their group is written; digested as it is written. Parquet.Net
/// writes no time into a file, so the same events give the same bytes.
/// </summary>
public sealed class ParquetEventsFile : IAsyncDisposable
{
    private static readonly DataField<long> Id = new("id");
    private static readonly DataField<string> EventType = new("type", nullable: false);
    private static readonly DateTimeDataField CreatedAt = new("created_at", DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Millis, isNullable: false);
    private static readonly DataField<long> ActorId = new("actor_id");
    private static readonly DataField<string> ActorLogin = new("actor_login", nullable: false);
    private static readonly DataField<long?> RepoId = new("repo_id");
    private static readonly DataField<string> RepoName = new("repo_name", nullable: true);
    private static readonly DataField<string> Org = new("org", nullable: true);
    private static readonly DataField<string> PayloadAction = new("action", nullable: true);
    private static readonly DataField<string> Detail = new("detail", nullable: false);
    private static readonly DataField<string> CountryCode = new("country_code", nullable: true);
    private static readonly DataField<bool> IsBot = new("is_bot");
    private static readonly DataField<string> Sources = new("sources", nullable: false);
    private static readonly DataField<string> Restored = new("restored", nullable: true);
    private static readonly DataField<string> Payload = new("payload", nullable: false);

    private static readonly ParquetSchema Schema = new(
        Id, EventType, CreatedAt, ActorId, ActorLogin, RepoId, RepoName, Org, PayloadAction, Detail, CountryCode, IsBot, Sources, Restored, Payload);

    private static readonly string[] KnownSourceNames = [.. Enumerable.Range(0, 8).Select(sources => NamesOf((short)sources))];

    private readonly DigestingStream _file;
    private readonly ParquetWriter _writer;

    // The row group's columns, kept from one group to the next; each event's json.gz line is not kept. The strings are
    // the rows' own; the payloads' text is decoded from UTF-8 into one buffer (Parquet.Net writes strings as UTF-16).
    private readonly long[] _ids;
    private readonly ReadOnlyMemory<char>[] _types;
    private readonly DateTime[] _times;
    private readonly long[] _actorIds;
    private readonly ReadOnlyMemory<char>[] _actors;
    private readonly long?[] _repoIds;
    private readonly ReadOnlyMemory<char>?[] _repos;
    private readonly ReadOnlyMemory<char>?[] _orgs;
    private readonly ReadOnlyMemory<char>?[] _actions;
    private readonly ReadOnlyMemory<char>[] _details;
    private readonly ReadOnlyMemory<char>?[] _countryCodes;
    private readonly bool[] _bots;
    private readonly ReadOnlyMemory<char>[] _sources;
    private readonly ReadOnlyMemory<char>?[] _restored;
    private readonly ReadOnlyMemory<char>[] _payloads;
    private readonly (int Start, int Length)[] _payloadSpans;
    private char[] _payloadText = new char[1 << 16];
    private int _payloadChars;
    private int _rows;

    private ParquetEventsFile(DigestingStream file, ParquetWriter writer, int groupRows)
    {
        (_file, _writer) = (file, writer);
        (_ids, _times, _actorIds, _repoIds, _bots) = (new long[groupRows], new DateTime[groupRows], new long[groupRows], new long?[groupRows], new bool[groupRows]);
        (_types, _actors, _details, _sources, _payloads) = (Texts(), Texts(), Texts(), Texts(), Texts());
        (_repos, _orgs, _actions, _countryCodes, _restored) = (OptionalTexts(), OptionalTexts(), OptionalTexts(), OptionalTexts(), OptionalTexts());
        _payloadSpans = new (int, int)[groupRows];

        ReadOnlyMemory<char>[] Texts() => new ReadOnlyMemory<char>[groupRows];
        ReadOnlyMemory<char>?[] OptionalTexts() => new ReadOnlyMemory<char>?[groupRows];
    }

    public static async Task<ParquetEventsFile> CreateAsync(string path, int groupRows, CancellationToken cancellationToken)
    {
        var file = new DigestingStream(path);
        try
        {
            var writer = await ParquetWriter.CreateAsync(Schema, file,
                new ParquetOptions { CompressionMethod = CompressionMethod.Zstd, CompressionLevel = System.IO.Compression.CompressionLevel.Fastest },
                cancellationToken: cancellationToken);
            return new ParquetEventsFile(file, writer, groupRows);
        }
        catch
        {
            await file.DisposeAsync();
            throw;
        }
    }

    public async Task WriteAsync(ArchivedEvent row, CancellationToken cancellationToken)
    {
        var i = _rows++;
        _ids[i] = row.Id;
        _types[i] = row.Type.AsMemory();
        _times[i] = row.Time;
        _actorIds[i] = row.ActorId;
        _actors[i] = row.Actor.AsMemory();
        _repoIds[i] = row.RepoId;
        _repos[i] = Optional(row.Repo);
        _orgs[i] = Optional(row.Org);
        _actions[i] = Optional(row.Action);
        _details[i] = row.Detail.AsMemory();
        _countryCodes[i] = Optional(row.CountryCode);
        _bots[i] = row.IsBot;
        _sources[i] = SourceNames(row.Sources).AsMemory();
        _restored[i] = Optional(row.Restored is null ? null : string.Join(',', row.Restored));
        _payloadSpans[i] = (_payloadChars, Decode(row.Payload));
        if (_rows == _ids.Length)
        {
            await FlushAsync(cancellationToken);
        }
    }

    /// <summary>Writes the last row group and the footer; the file's digest under <paramref name="key"/>.</summary>
    public async Task<FileDigest> CompleteAsync(string key, CancellationToken cancellationToken)
    {
        if (_rows > 0)
        {
            await FlushAsync(cancellationToken);
        }

        await _writer.DisposeAsync();
        return _file.Digest(key);
    }

    /// <summary>The sources that delivered an event, by name (<see cref="SourceBits"/>), comma-separated; empty for none known.</summary>
    public static string SourceNames(short sources) => sources is >= 0 and < 8 ? KnownSourceNames[sources] : NamesOf(sources);

    private static string NamesOf(short sources) => string.Join(',', new[]
    {
        (SourceBits.Live, "live"), (SourceBits.Archive, "archive"), (SourceBits.Watch, "watch"),
    }.Where(source => (sources & source.Item1) != 0).Select(source => source.Item2));

    private static ReadOnlyMemory<char>? Optional(string? text) => text?.AsMemory();

    // The payload's text into the buffer, which grows to the largest row group's (a character for each byte at most).
    private int Decode(byte[] payload)
    {
        if (_payloadText.Length - _payloadChars < payload.Length)
        {
            Array.Resize(ref _payloadText, Math.Max(2 * _payloadText.Length, _payloadChars + payload.Length));
        }

        var length = System.Text.Encoding.UTF8.GetChars(payload, _payloadText.AsSpan(_payloadChars));
        _payloadChars += length;
        return length;
    }

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        var rows = _rows;
        for (var i = 0; i < rows; i++)
        {
            _payloads[i] = _payloadText.AsMemory(_payloadSpans[i].Start, _payloadSpans[i].Length);
        }

        using (var group = _writer.CreateRowGroup())
        {
            await group.WriteAsync<long>(Id, _ids.AsMemory(0, rows), cancellationToken: cancellationToken);
            await group.WriteAsync<ReadOnlyMemory<char>>(EventType, _types.AsMemory(0, rows), cancellationToken: cancellationToken);
            await group.WriteAsync<DateTime>(CreatedAt, _times.AsMemory(0, rows), cancellationToken: cancellationToken);
            await group.WriteAsync<long>(ActorId, _actorIds.AsMemory(0, rows), cancellationToken: cancellationToken);
            await group.WriteAsync<ReadOnlyMemory<char>>(ActorLogin, _actors.AsMemory(0, rows), cancellationToken: cancellationToken);
            await group.WriteAsync<long>(RepoId, _repoIds.AsMemory(0, rows), cancellationToken: cancellationToken);
            await group.WriteAsync<ReadOnlyMemory<char>>(RepoName, _repos.AsMemory(0, rows), cancellationToken: cancellationToken);
            await group.WriteAsync<ReadOnlyMemory<char>>(Org, _orgs.AsMemory(0, rows), cancellationToken: cancellationToken);
            await group.WriteAsync<ReadOnlyMemory<char>>(PayloadAction, _actions.AsMemory(0, rows), cancellationToken: cancellationToken);
            await group.WriteAsync<ReadOnlyMemory<char>>(Detail, _details.AsMemory(0, rows), cancellationToken: cancellationToken);
            await group.WriteAsync<ReadOnlyMemory<char>>(CountryCode, _countryCodes.AsMemory(0, rows), cancellationToken: cancellationToken);
            await group.WriteAsync<bool>(IsBot, _bots.AsMemory(0, rows), cancellationToken: cancellationToken);
            await group.WriteAsync<ReadOnlyMemory<char>>(Sources, _sources.AsMemory(0, rows), cancellationToken: cancellationToken);
            await group.WriteAsync<ReadOnlyMemory<char>>(Restored, _restored.AsMemory(0, rows), cancellationToken: cancellationToken);
            await group.WriteAsync<ReadOnlyMemory<char>>(Payload, _payloads.AsMemory(0, rows), cancellationToken: cancellationToken);
            group.CompleteValidate();
        }

        // The rows' strings are let go with the group.
        Array.Clear(_types, 0, rows);
        Array.Clear(_actors, 0, rows);
        Array.Clear(_repos, 0, rows);
        Array.Clear(_orgs, 0, rows);
        Array.Clear(_actions, 0, rows);
        Array.Clear(_details, 0, rows);
        Array.Clear(_countryCodes, 0, rows);
        Array.Clear(_sources, 0, rows);
        Array.Clear(_restored, 0, rows);
        (_rows, _payloadChars) = (0, 0);
    }

    public async ValueTask DisposeAsync()
    {
        await _file.DisposeAsync();
    }
}
