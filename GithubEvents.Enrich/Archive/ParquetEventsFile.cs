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
    private readonly int _groupRows;

    // The row group's columns; each event's json.gz line is not kept.
    private readonly List<long> _ids = [];
    private readonly List<string?> _types = [];
    private readonly List<DateTime> _times = [];
    private readonly List<long> _actorIds = [];
    private readonly List<string?> _actors = [];
    private readonly List<long?> _repoIds = [];
    private readonly List<string?> _repos = [];
    private readonly List<string?> _orgs = [];
    private readonly List<string?> _actions = [];
    private readonly List<string?> _details = [];
    private readonly List<string?> _countryCodes = [];
    private readonly List<bool> _bots = [];
    private readonly List<string?> _sources = [];
    private readonly List<string?> _restored = [];
    private readonly List<string?> _payloads = [];

    private ParquetEventsFile(DigestingStream file, ParquetWriter writer, int groupRows) => (_file, _writer, _groupRows) = (file, writer, groupRows);

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
        _ids.Add(row.Id);
        _types.Add(row.Type);
        _times.Add(row.Time);
        _actorIds.Add(row.ActorId);
        _actors.Add(row.Actor);
        _repoIds.Add(row.RepoId);
        _repos.Add(row.Repo);
        _orgs.Add(row.Org);
        _actions.Add(row.Action);
        _details.Add(row.Detail);
        _countryCodes.Add(row.CountryCode);
        _bots.Add(row.IsBot);
        _sources.Add(SourceNames(row.Sources));
        _restored.Add(row.Restored is null ? null : string.Join(',', row.Restored));
        _payloads.Add(row.Payload);
        if (_ids.Count == _groupRows)
        {
            await FlushAsync(cancellationToken);
        }
    }

    /// <summary>Writes the last row group and the footer; the file's digest under <paramref name="key"/>.</summary>
    public async Task<FileDigest> CompleteAsync(string key, CancellationToken cancellationToken)
    {
        if (_ids.Count > 0)
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

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        using (var group = _writer.CreateRowGroup())
        {
            await group.WriteAsync<long>(Id, _ids.ToArray(), cancellationToken: cancellationToken);
            await group.WriteAsync(EventType, _types);
            await group.WriteAsync<DateTime>(CreatedAt, _times.ToArray(), cancellationToken: cancellationToken);
            await group.WriteAsync<long>(ActorId, _actorIds.ToArray(), cancellationToken: cancellationToken);
            await group.WriteAsync(ActorLogin, _actors);
            await group.WriteAsync<long>(RepoId, _repoIds.ToArray(), cancellationToken: cancellationToken);
            await group.WriteAsync(RepoName, _repos);
            await group.WriteAsync(Org, _orgs);
            await group.WriteAsync(PayloadAction, _actions);
            await group.WriteAsync(Detail, _details);
            await group.WriteAsync(CountryCode, _countryCodes);
            await group.WriteAsync<bool>(IsBot, _bots.ToArray(), cancellationToken: cancellationToken);
            await group.WriteAsync(Sources, _sources);
            await group.WriteAsync(Restored, _restored);
            await group.WriteAsync(Payload, _payloads);
            group.CompleteValidate();
        }

        foreach (var column in new System.Collections.IList[]
                 {
                     _ids, _types, _times, _actorIds, _actors, _repoIds, _repos, _orgs, _actions, _details, _countryCodes, _bots, _sources, _restored, _payloads,
                 })
        {
            column.Clear();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _file.DisposeAsync();
    }
}
