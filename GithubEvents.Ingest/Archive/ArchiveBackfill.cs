using System.Buffers;
using System.IO.Compression;
using System.IO.Pipelines;
using Amazon.Runtime;
using GithubEvents.Ingest.Events;
using GithubEvents.Ingest.Publishing;
using GithubEvents.ServiceDefaults.Kafka;
using Microsoft.Extensions.Options;

namespace GithubEvents.Ingest.Archive;

/// <summary>
/// Replays GH Archive hours into Kafka: streams each file through gunzip and splits it into lines without
/// holding it in memory; publishes each event as its line's bytes, and sends lines that are not events to the
/// dead-letter topic; a line over <see cref="GhArchiveOptions.MaxLineBytes"/> too, as its first bytes, without being
/// held whole. A download that stalls or breaks resumes where it stopped (<see cref="ArchiveDownload"/>). A truncated,
/// corrupt or undownloadable file is reported with its line number and the next hour follows. The archive Enrich keeps
/// is read the same way (<see cref="StoredArchive"/>), from a folder or an S3 bucket.
/// </summary>
public sealed partial class ArchiveBackfill(
    IHttpClientFactory httpClientFactory,
    EventPublisher publisher,
    FinishedHours finishedHours,
    StoredArchive storedArchive,
    IOptions<GhArchiveOptions> options,
    TimeProvider time,
    ILogger<ArchiveBackfill> logger)
{
    public const string HttpClientName = "gharchive";

    private const int ReadBufferSize = 256 * 1024;

    public async Task<IReadOnlyList<ArchiveFile>> ResolveAsync(BackfillRequest request, CancellationToken cancellationToken)
    {
        var files = request.Archive is { } archive ? await storedArchive.ResolveAsync(archive, request.From, request.To, cancellationToken)
            : request.Paths.Count > 0 ? request.Paths.SelectMany(path => LocalFiles(path, request)).ToList()
            : ArchiveHour.Range(request.From!.Value, request.To!.Value).Select(Remote).ToList();
        if (files.FirstOrDefault(file => file.Hour < ArchiveHour.FirstSupported) is { } old)
        {
            throw new BackfillUsageException(
                $"{old.Label} is from before {ArchiveHour.Format(ArchiveHour.FirstSupported)}: GH Archive files of that time use the " +
                "old Timeline format (no event ids, actors as logins), which the backfill does not read. Start at 2015-01-01T00 or later.");
        }

        return files.Count > 0
            ? files
            : throw new BackfillUsageException($"No GH Archive files (named like 2025-01-01-0.json.gz) in {string.Join(", ", request.Paths)}.");
    }

    public async Task<BackfillReport> RunAsync(BackfillRequest request, CancellationToken cancellationToken)
    {
        var files = await ResolveAsync(request, cancellationToken);
        var finished = await finishedHours.LoadAsync(cancellationToken);
        var run = new RunProgress(files.Count(file => !finished.Contains(file.Label)), request.Rate, time);
        var failures = new List<string>();
        var (skipped, empty) = (0, 0);
        for (var i = 0; i < files.Count; i++)
        {
            var file = files[i];
            if (finished.Contains(file.Label))
            {
                skipped++;
                LogSkipped(i + 1, files.Count, file.Label);
                continue;
            }

            // Not recorded as finished: should the archiver write the hour later (it was behind), a rerun reads it.
            if (file.EmptyIn is { } where)
            {
                empty++;
                run.HourDone();
                LogEmpty(i + 1, files.Count, file.Label, where);
                continue;
            }

            var failure = await ReplayAsync(file, i + 1, files.Count, run, cancellationToken);
            await publisher.DrainAsync(cancellationToken);
            run.HourDone();
            if (failure is null)
            {
                await finishedHours.AddAsync(file.Label, cancellationToken);
                LogHourDone(i + 1, files.Count, file.Label, run.Events, run.DeadLetters);
            }
            else
            {
                failures.Add(failure);
                LogHourFailed(i + 1, files.Count, failure);
            }
        }

        var elapsed = run.Elapsed;
        var replayed = files.Count - skipped - empty - failures.Count;
        LogFinished(replayed, empty, skipped, failures.Count, run.Events, run.DeadLetters, elapsed, run.EventsPerSecond);
        return new BackfillReport(files.Count, replayed, skipped, failures, run.Events, run.DeadLetters, empty);
    }

    /// <summary>Publishes one file's lines; the reason it stopped early, or null when it was read to its end.</summary>
    private async Task<string?> ReplayAsync(ArchiveFile file, int index, int count, RunProgress run, CancellationToken cancellationToken)
    {
        if (file.MissingFrom is { } where)
        {
            return $"{file.Label} is not in {where}, though the archive's manifest of that hour names it";
        }

        var lines = new LineCursor();
        try
        {
            var (source, length) = await OpenAsync(file, cancellationToken);
            await using var counting = new CountingStream(source);
            var reader = PipeReader.Create(new GZipStream(counting, CompressionMode.Decompress), new StreamPipeReaderOptions(bufferSize: ReadBufferSize));
            try
            {
                while (true)
                {
                    var result = await reader.ReadAsync(cancellationToken);
                    var buffer = await ReadLinesAsync(result.Buffer, lines, file, run, cancellationToken);
                    if (run.ReportDue(options.Value.ProgressInterval))
                    {
                        LogProgress(index, count, file.Label, run.Events, run.EventsPerSecond, run.Eta(length is > 0 ? (double)counting.BytesRead / length.Value : 0));
                    }

                    if (result.IsCompleted && lines.Overlong is not null)
                    {
                        await DeadLetterOverlongAsync(lines, file, run, cancellationToken);
                        return $"{file.Label} is truncated: line {lines.Line} is cut off";
                    }

                    if (result.IsCompleted)
                    {
                        // Every line of an archive file ends with a newline: bytes after the last one are a cut-off line.
                        return buffer.IsEmpty ? null : $"{file.Label} is truncated: line {lines.Line + 1} is cut off";
                    }

                    reader.AdvanceTo(buffer.Start, buffer.End);
                }
            }
            finally
            {
                await reader.CompleteAsync();
            }
        }
        catch (InvalidDataException ex)
        {
            return $"{file.Label} is corrupt at line {lines.Line + 1}: {ex.Message}";
        }
        catch (IOException ex)
        {
            return $"{file.Label} could not be read past line {lines.Line}: {ex.Message}";
        }
        catch (Exception ex) when (ex is HttpRequestException or AmazonServiceException or AmazonClientException)
        {
            return $"{file.Label} could not be fetched: {ex.Message}";
        }
    }

    // Publishes the buffer's whole lines and returns what is left of it. A line over GhArchive:MaxLineBytes is never held
    // whole: its first bytes are kept, the rest is counted as it goes by, and at its end it is dead-lettered.
    private async ValueTask<ReadOnlySequence<byte>> ReadLinesAsync(
        ReadOnlySequence<byte> buffer, LineCursor lines, ArchiveFile file, RunProgress run, CancellationToken cancellationToken)
    {
        var maxLine = options.Value.MaxLineBytes;
        while (true)
        {
            var end = buffer.PositionOf((byte)'\n');
            var length = end is { } newline ? buffer.Slice(0, newline).Length : buffer.Length;
            if (lines.Overlong is null && length > maxLine)
            {
                lines.StartOverlong(buffer.Slice(0, Math.Min(length, EventPublisher.MaxDeadLetterBytes)).ToArray());
            }

            if (lines.Overlong is { } overlong)
            {
                overlong.Length += length;
                if (end is null)
                {
                    return buffer.Slice(buffer.End);
                }

                await DeadLetterOverlongAsync(lines, file, run, cancellationToken);
            }
            else if (end is null)
            {
                return buffer;
            }
            else
            {
                lines.Next(length);
                if (length > 0)
                {
                    await PublishLineAsync(buffer.Slice(0, length).ToArray(), file, lines.Line, run, cancellationToken);
                }
            }

            buffer = buffer.Slice(buffer.GetPosition(1, end!.Value));
        }
    }

    private async ValueTask DeadLetterOverlongAsync(LineCursor lines, ArchiveFile file, RunProgress run, CancellationToken cancellationToken)
    {
        var overlong = lines.Overlong!;
        var reason = $"a line of {overlong.Length} bytes, over GhArchive:MaxLineBytes ({options.Value.MaxLineBytes})";
        await publisher.DeadLetterBytesAsync(overlong.Prefix, overlong.Length, reason, file.Label, lines.Line, overlong.Offset, cancellationToken);
        run.DeadLettered();
        LogDeadLettered(file.Label, lines.Line, reason);
        lines.EndOverlong();
    }

    private async ValueTask PublishLineAsync(byte[] bytes, ArchiveFile file, long line, RunProgress run, CancellationToken cancellationToken)
    {
        if (EventJson.TryRead(bytes, out var fields, out var reason))
        {
            await publisher.PublishAsync(new RawEvent(bytes, fields), EventSources.Archive, cancellationToken);
            run.Published();
        }
        else
        {
            await publisher.DeadLetterAsync(bytes, reason, file.Label, line, cancellationToken);
            run.DeadLettered();
            LogDeadLettered(file.Label, line, reason);
        }

        await run.PaceAsync(cancellationToken);
    }

    private async Task<(Stream Stream, long? Length)> OpenAsync(ArchiveFile file, CancellationToken cancellationToken)
    {
        if (file.LocalPath is { } path)
        {
            var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan);
            return (stream, stream.Length);
        }

        if (file.Bucket is { } bucket)
        {
            var timeout = options.Value.ReadTimeout;
            var (content, length) = await IdleTimeoutStream.WithinAsync(timeout, token => bucket.OpenAsync(file.Label, token), cancellationToken);
            return (new IdleTimeoutStream(content, timeout), length);
        }

        var download = await ArchiveDownload.OpenAsync(httpClientFactory.CreateClient(HttpClientName), file.Url!, options.Value, time, logger, cancellationToken);
        return (download, download.FileLength);
    }

    private ArchiveFile Remote(DateTime hour)
    {
        var name = ArchiveHour.FileName(hour);
        var root = new Uri(options.Value.Url.AbsoluteUri.TrimEnd('/') + "/");
        return new ArchiveFile(name, hour, new Uri(root, name), null);
    }

    private static IEnumerable<ArchiveFile> LocalFiles(string path, BackfillRequest request)
    {
        if (File.Exists(path))
        {
            var name = Path.GetFileName(path);
            return [ArchiveHour.TryParseFileName(name, out var hour)
                ? new ArchiveFile(name, hour, null, Path.GetFullPath(path))
                : new ArchiveFile(Path.GetFullPath(path), null, null, Path.GetFullPath(path))];
        }

        if (!Directory.Exists(path))
        {
            throw new BackfillUsageException($"--path {path}: no such file or folder.");
        }

        return Directory.EnumerateFiles(path)
            .Select(file => (File: file, Parsed: ArchiveHour.TryParseFileName(Path.GetFileName(file), out var hour), Hour: hour))
            .Where(file => file.Parsed && file.Hour >= (request.From ?? DateTime.MinValue) && file.Hour <= (request.To ?? DateTime.MaxValue))
            .OrderBy(file => file.Hour)
            .Select(file => new ArchiveFile(Path.GetFileName(file.File), file.Hour, null, Path.GetFullPath(file.File)))
            .ToList();
    }

    [LoggerMessage(LogLevel.Information, "Hour {Index} of {Count} ({Label}): {Events} events at {EventsPerSecond:F0} events/s, ETA {Eta}")]
    private partial void LogProgress(int index, int count, string label, long events, double eventsPerSecond, string eta);

    [LoggerMessage(LogLevel.Information, "Hour {Index} of {Count} ({Label}) was finished by an earlier run; skipped")]
    private partial void LogSkipped(int index, int count, string label);

    [LoggerMessage(LogLevel.Information, "Hour {Index} of {Count} ({Label}) done; {Events} events and {DeadLetters} dead letters so far")]
    private partial void LogHourDone(int index, int count, string label, long events, long deadLetters);

    [LoggerMessage(LogLevel.Error, "Hour {Index} of {Count} failed: {Failure}; going on with the next hour")]
    private partial void LogHourFailed(int index, int count, string failure);

    [LoggerMessage(LogLevel.Warning, "{Label} line {Line} is not an event ({Reason}); sent to the dead-letter topic")]
    private partial void LogDeadLettered(string label, long line, string reason);

    [LoggerMessage(LogLevel.Information, "Backfill finished: {Replayed} hours replayed, {Empty} empty, {Skipped} skipped as done, {Failed} failed; {Events} events and {DeadLetters} dead letters in {Elapsed} ({EventsPerSecond:F0} events/s)")]
    private partial void LogFinished(int replayed, int empty, int skipped, int failed, long events, long deadLetters, TimeSpan elapsed, double eventsPerSecond);

    [LoggerMessage(LogLevel.Information,
        "Hour {Index} of {Count} ({Label}) is empty: neither it nor its manifest is in {Where}, and the archiver writes no file for an hour without events")]
    private partial void LogEmpty(int index, int count, string label, string where);

    /// <summary>Counts, pacing (<c>--rate</c>) and the ETA of one run.</summary>
    private sealed class RunProgress(int hoursToReplay, double? rate, TimeProvider time)
    {
        private readonly long _started = time.GetTimestamp();
        private long _lastReport = time.GetTimestamp();
        private int _hoursDone;

        public long Events { get; private set; }

        public long DeadLetters { get; private set; }

        public TimeSpan Elapsed => time.GetElapsedTime(_started);

        public double EventsPerSecond => Events / Math.Max(Elapsed.TotalSeconds, 0.001);

        public void Published() => Events++;

        public void DeadLettered() => DeadLetters++;

        public void HourDone() => _hoursDone++;

        public ValueTask PaceAsync(CancellationToken cancellationToken)
        {
            if (rate is not { } eventsPerSecond)
            {
                return ValueTask.CompletedTask;
            }

            var ahead = TimeSpan.FromSeconds((Events + DeadLetters) / eventsPerSecond) - Elapsed;
            return ahead > TimeSpan.FromMilliseconds(10)
                ? new ValueTask(Task.Delay(ahead, time, cancellationToken))
                : ValueTask.CompletedTask;
        }

        public bool ReportDue(TimeSpan interval)
        {
            if (time.GetElapsedTime(_lastReport) < interval)
            {
                return false;
            }

            _lastReport = time.GetTimestamp();
            return true;
        }

        /// <summary>From the share of the run done, counting the share of the current file read so far.</summary>
        public string Eta(double currentFileShare)
        {
            var done = (_hoursDone + Math.Clamp(currentFileShare, 0, 1)) / Math.Max(hoursToReplay, 1);
            return done <= 0 ? "unknown" : TimeSpan.FromSeconds(Math.Round(Elapsed.TotalSeconds * (1 - done) / done)).ToString();
        }
    }
}
