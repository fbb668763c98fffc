using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Confluent.Kafka;
using GithubEvents.Ingest.Events;
using GithubEvents.ServiceDefaults.Kafka;
using Microsoft.Extensions.Options;

namespace GithubEvents.Ingest.Publishing;

/// <summary>
/// Hands events to Kafka behind a bounded buffer: a send waits while <see cref="PublishingOptions.BufferSize"/>
/// messages are unacknowledged, so a source pauses while Kafka is unreachable and resumes when it answers.
/// A failed delivery is sent again after a delay; one Kafka can never take (too large, say) goes to the
/// dead-letter topic with the reason. Nothing is dropped in silence: what Kafka has not acknowledged when shutdown has
/// waited <see cref="PublishingOptions.DrainTimeout"/> is logged with its count.
/// </summary>
public sealed partial class EventPublisher(
    IProducer<string, byte[]> producer,
    IOptions<TopicOptions> topics,
    IOptions<PublishingOptions> options,
    IngestTelemetry telemetry,
    TimeProvider time,
    ILogger<EventPublisher> logger)
{
    /// <summary>The most of a stretch of bytes a dead letter holds: enough to see what it was, well within Kafka's 1 MB.</summary>
    public const int MaxDeadLetterBytes = 64 * 1024;

    private readonly SemaphoreSlim _buffer = new(options.Value.BufferSize, options.Value.BufferSize);

    private long _lastAcknowledgedTicks;

    /// <summary>Messages handed to Kafka and not yet acknowledged (nor dead-lettered, nor lost).</summary>
    public int Unacknowledged => options.Value.BufferSize - _buffer.CurrentCount;

    /// <summary>
    /// Whether <paramref name="messages"/> can be sent without waiting (the whole buffer free, where it is smaller):
    /// a source that must not wait in the middle of its work asks first.
    /// </summary>
    public bool HasRoomFor(int messages) => _buffer.CurrentCount >= Math.Min(messages, options.Value.BufferSize);

    public async ValueTask PublishAsync(RawEvent rawEvent, string source, CancellationToken cancellationToken)
    {
        var fields = rawEvent.Fields;
        var message = new Message<string, byte[]>
        {
            Key = fields.Key,
            Value = WholeArray(rawEvent.Json) ?? rawEvent.Json.ToArray(),
            Headers = new Headers
            {
                { EventHeaders.Type, Encoding.UTF8.GetBytes(fields.Type) },
                { EventHeaders.CreatedAt, Encoding.UTF8.GetBytes(fields.CreatedAt) },
                { EventHeaders.Source, Encoding.UTF8.GetBytes(source) },
            },
        };
        await SendAsync(topics.Value.Raw, message, cancellationToken);
        telemetry.Published(source);
    }

    /// <summary>Sends the live poller's figures of a minute so far; keyed by the poller, so that they arrive in order.</summary>
    public ValueTask PublishPollFiguresAsync(PollFigures figures, CancellationToken cancellationToken) =>
        SendAsync(topics.Value.Polls, new Message<string, byte[]> { Key = figures.Poller, Value = figures.ToJson() }, cancellationToken);

    /// <summary>Sends bytes nothing can use to the dead-letter topic with the reason and where they came from.</summary>
    public async ValueTask DeadLetterAsync(ReadOnlyMemory<byte> value, string reason, string sourceFile, long sourceLine, CancellationToken cancellationToken)
    {
        var message = DeadLetterMessage.FromFileLine(value, reason, sourceFile, sourceLine);
        await SendAsync(topics.Value.DeadLetters, message, cancellationToken);
        telemetry.DeadLettered();
    }

    /// <summary>
    /// Sends bytes of a file or a feed page that are no event to the dead-letter topic, with where they start in it
    /// (<paramref name="offset"/>); of more than <see cref="MaxDeadLetterBytes"/> only the first are sent, with their length.
    /// </summary>
    public async ValueTask DeadLetterBytesAsync(ReadOnlyMemory<byte> value, long length, string reason, string source, long line, long offset, CancellationToken cancellationToken)
    {
        var message = DeadLetterMessage.FromFileBytes(value, reason, source, line, offset, length, MaxDeadLetterBytes);
        await SendAsync(topics.Value.DeadLetters, message, cancellationToken);
        telemetry.DeadLettered();
    }

    /// <summary>Waits until Kafka has acknowledged every message handed to it so far.</summary>
    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        var size = options.Value.BufferSize;
        var taken = 0;
        try
        {
            for (; taken < size; taken++)
            {
                await _buffer.WaitAsync(cancellationToken);
            }
        }
        finally
        {
            if (taken > 0)
            {
                _buffer.Release(taken);
            }
        }
    }

    /// <summary>
    /// At shutdown: waits up to <see cref="PublishingOptions.DrainTimeout"/> for Kafka to acknowledge what it holds, and
    /// says how many messages are lost when it does not.
    /// </summary>
    public async Task DrainAtShutdownAsync()
    {
        // Shutdown runs on the wall clock, whatever clock the polls keep.
        using var timeout = new CancellationTokenSource(options.Value.DrainTimeout);
        try
        {
            await DrainAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            var lost = Unacknowledged;
            var lastAcknowledged = Interlocked.Read(ref _lastAcknowledgedTicks) is > 0 and var ticks
                ? new DateTimeOffset(ticks, TimeSpan.Zero).ToString("O", CultureInfo.InvariantCulture)
                : "no time since Ingest started";
            LogLostAtShutdown(lost, options.Value.DrainTimeout, lastAcknowledged);
            telemetry.LostAtShutdown(lost);
        }
    }

    private async ValueTask SendAsync(string topic, Message<string, byte[]> message, CancellationToken cancellationToken)
    {
        await _buffer.WaitAsync(cancellationToken);
        try
        {
            Produce(topic, message);
        }
        catch
        {
            _buffer.Release();
            throw;
        }
    }

    // The buffer slot stays taken until the message is acknowledged or dead-lettered.
    private void Produce(string topic, Message<string, byte[]> message)
    {
        try
        {
            // A failed attempt leaves the timestamp it was given on the message; a new attempt needs a new one.
            message.Timestamp = Timestamp.Default;
            producer.Produce(topic, message, report => OnDelivery(topic, report));
        }
        catch (ProduceException<string, byte[]> ex)
        {
            OnFailure(topic, message, ex.Error);
        }
    }

    private void OnDelivery(string topic, DeliveryReport<string, byte[]> report)
    {
        if (report.Error.IsError)
        {
            OnFailure(topic, report.Message, report.Error);
        }
        else
        {
            Interlocked.Exchange(ref _lastAcknowledgedTicks, time.GetUtcNow().UtcTicks);
            _buffer.Release();
        }
    }

    private void OnFailure(string topic, Message<string, byte[]> message, Error error)
    {
        if (KafkaRefusals.IsTooLarge(error) && topic == topics.Value.DeadLetters && message.Value.Length > MaxDeadLetterBytes)
        {
            LogDeadLetterCut(message.Value.Length, MaxDeadLetterBytes, error.Reason);
            Produce(topic, DeadLetterMessage.Truncated(message, MaxDeadLetterBytes));
            return;
        }

        if (IsPermanent(error) && topic == topics.Value.DeadLetters)
        {
            LogLost(topic, error.Code, error.Reason);
            _buffer.Release();
            return;
        }

        if (IsPermanent(error))
        {
            LogDeadLettered(topic, error.Code, error.Reason);
            telemetry.DeadLettered();
            Produce(topics.Value.DeadLetters, DeadLetterMessage.FromRefused(message, topic, $"Kafka refused the message: {error.Code}: {error.Reason}"));
            return;
        }

        LogRetrying(topic, error.Code, error.Reason, options.Value.RetryDelay);
        telemetry.DeliveryRetried();
        _ = RetryAsync(topic, message);
    }

    private async Task RetryAsync(string topic, Message<string, byte[]> message)
    {
        await Task.Delay(options.Value.RetryDelay, time);
        try
        {
            Produce(topic, message);
        }
        catch (ObjectDisposedException)
        {
            LogLost(topic, ErrorCode.Local_Destroy, "Ingest shut down before Kafka acknowledged it");
            _buffer.Release();
        }
        catch (Exception ex)
        {
            LogLost(topic, ErrorCode.Unknown, ex.Message);
            _buffer.Release();
        }
    }

    // An archive line is read into an array of its own and can be sent as it is; a feed event is a slice of its page.
    private static byte[]? WholeArray(ReadOnlyMemory<byte> json) =>
        MemoryMarshal.TryGetArray(json, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : null;

    private static bool IsPermanent(Error error) =>
        KafkaRefusals.IsTooLarge(error) || error.Code is ErrorCode.InvalidMsg or ErrorCode.InvalidRecord;

    [LoggerMessage(LogLevel.Warning, "Kafka delivery to {Topic} failed ({Code}: {Reason}); sending again in {Delay}")]
    private partial void LogRetrying(string topic, ErrorCode code, string reason, TimeSpan delay);

    [LoggerMessage(LogLevel.Error, "Kafka refused a message for {Topic} ({Code}: {Reason}); it goes to the dead-letter topic")]
    private partial void LogDeadLettered(string topic, ErrorCode code, string reason);

    [LoggerMessage(LogLevel.Critical, "{Count} messages were lost at shutdown: Kafka had not acknowledged them {Timeout} after it began (Kafka:Publishing:DrainTimeout). Kafka last acknowledged a message at {LastAcknowledged}: the events polled since then, and the poll figures of those minutes, may be missing")]
    private partial void LogLostAtShutdown(int count, TimeSpan timeout, string lastAcknowledged);

    [LoggerMessage(LogLevel.Warning, "A dead letter of {Bytes} bytes is too large for Kafka ({Reason}); sending its headers and first {PrefixBytes} bytes")]
    private partial void LogDeadLetterCut(int bytes, int prefixBytes, string reason);

    [LoggerMessage(LogLevel.Critical, "A message for {Topic} was lost ({Code}: {Reason})")]
    private partial void LogLost(string topic, ErrorCode code, string reason);
}
