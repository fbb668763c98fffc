using System.Threading.Channels;

namespace GithubEvents.Enrich.Archive;

/// <summary>
/// An hour's json.gz and Parquet files written side by side, each by a task of its own fed through a bounded channel of
/// slices, so that the database's next slice is read while the last ones are written, and compressing one file does not
/// wait for the other. At most <see cref="QueuedSlices"/> slices wait for each file.
/// </summary>
public sealed class SideBySideFiles : IAsyncDisposable
{
    public const int QueuedSlices = 2;

    private readonly JsonLinesFile _json;
    private readonly ParquetEventsFile _parquet;
    private readonly Channel<IReadOnlyList<ArchivedEvent>> _jsonSlices = Slices();
    private readonly Channel<IReadOnlyList<ArchivedEvent>> _parquetSlices = Slices();
    private readonly CancellationToken _cancellation;
    private readonly CancellationTokenSource _stop;
    private readonly Task<FileDigest> _jsonWriter;
    private readonly Task<FileDigest> _parquetWriter;

    private SideBySideFiles(JsonLinesFile json, ParquetEventsFile parquet, ArchiveHour hour, CancellationToken cancellationToken)
    {
        (_json, _parquet, _cancellation) = (json, parquet, cancellationToken);
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _jsonWriter = WriteAllAsync(_jsonSlices.Reader,
            slice =>
            {
                foreach (var row in slice)
                {
                    _json.Write(row);
                }

                return Task.CompletedTask;
            },
            () => _json.CompleteAsync(hour.JsonKey));
        _parquetWriter = WriteAllAsync(_parquetSlices.Reader,
            async slice =>
            {
                foreach (var row in slice)
                {
                    await _parquet.WriteAsync(row, _stop.Token);
                }
            },
            () => _parquet.CompleteAsync(hour.ParquetKey, _stop.Token));
    }

    public static async Task<SideBySideFiles> CreateAsync(ArchiveHour hour, string jsonFile, string parquetFile, int rowGroupRows, CancellationToken cancellationToken)
    {
        var json = new JsonLinesFile(jsonFile);
        try
        {
            return new SideBySideFiles(json, await ParquetEventsFile.CreateAsync(parquetFile, rowGroupRows, cancellationToken), hour, cancellationToken);
        }
        catch
        {
            await json.DisposeAsync();
            throw;
        }
    }

    /// <summary>Hands a slice to both files; waits while either has <see cref="QueuedSlices"/> waiting, and fails when a file could not be written.</summary>
    public async Task WriteAsync(IReadOnlyList<ArchivedEvent> slice)
    {
        try
        {
            await _jsonSlices.Writer.WriteAsync(slice, _stop.Token);
            await _parquetSlices.Writer.WriteAsync(slice, _stop.Token);
        }
        catch (OperationCanceledException) when (!_cancellation.IsCancellationRequested)
        {
            // A writer failed and stopped the rest: its failure, not the stop, is the answer.
            await Task.WhenAll(_jsonWriter, _parquetWriter);
            throw;
        }
    }

    /// <summary>Writes what is queued and both files' ends; their digests.</summary>
    public async Task<(FileDigest Json, FileDigest Parquet)> CompleteAsync()
    {
        _jsonSlices.Writer.Complete();
        _parquetSlices.Writer.Complete();
        return (await _jsonWriter, await _parquetWriter);
    }

    public async ValueTask DisposeAsync()
    {
        _jsonSlices.Writer.TryComplete();
        _parquetSlices.Writer.TryComplete();
        await _stop.CancelAsync();
        try
        {
            await Task.WhenAll(_jsonWriter, _parquetWriter);
        }
        catch (Exception)
        {
            // Stopped, or failed and reported through WriteAsync or CompleteAsync; the files are dropped.
        }

        await _json.DisposeAsync();
        await _parquet.DisposeAsync();
        _stop.Dispose();
    }

    private static Channel<IReadOnlyList<ArchivedEvent>> Slices() =>
        Channel.CreateBounded<IReadOnlyList<ArchivedEvent>>(new BoundedChannelOptions(QueuedSlices) { SingleReader = true, SingleWriter = true });

    // On a thread of its own; a failure stops the other writer and the reader.
    private Task<FileDigest> WriteAllAsync(ChannelReader<IReadOnlyList<ArchivedEvent>> slices, Func<IReadOnlyList<ArchivedEvent>, Task> write,
        Func<Task<FileDigest>> complete) => Task.Run(async () =>
    {
        try
        {
            await foreach (var slice in slices.ReadAllAsync(_stop.Token))
            {
                await write(slice);
            }

            return await complete();
        }
        catch
        {
            await _stop.CancelAsync();
            throw;
        }
    });
}
