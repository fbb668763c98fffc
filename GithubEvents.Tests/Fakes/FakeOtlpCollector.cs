using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace GithubEvents.Tests.Fakes;

/// <summary>
/// An OTLP/HTTP endpoint such as the Aspire dashboard's: takes the services' exports (<c>http/protobuf</c>) and keeps
/// the spans, read from the protobuf wire format of <c>ExportTraceServiceRequest</c>. Logs and metrics are accepted and
/// dropped.
/// </summary>
public sealed class FakeOtlpCollector : FakeHttpServer
{
    private const int SpanKindProducer = 4;
    private const int SpanKindConsumer = 5;

    private readonly ConcurrentQueue<CollectedSpan> _spans = new();

    public IReadOnlyList<CollectedSpan> Spans => _spans.ToArray();

    public static bool IsProducer(CollectedSpan span) => span.Kind == SpanKindProducer;

    public static bool IsConsumer(CollectedSpan span) => span.Kind == SpanKindConsumer;

    protected override void MapEndpoints(WebApplication app)
    {
        app.MapPost("/v1/traces", async (HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            foreach (var span in ReadTraces(body.ToArray()))
            {
                _spans.Enqueue(span);
            }

            return Results.Bytes([], "application/x-protobuf");
        });
        app.MapPost("/v1/logs", () => Results.Bytes([], "application/x-protobuf"));
        app.MapPost("/v1/metrics", () => Results.Bytes([], "application/x-protobuf"));
    }

    // ExportTraceServiceRequest: 1 resource_spans; ResourceSpans: 1 resource, 2 scope_spans; Resource: 1 attributes;
    // ScopeSpans: 2 spans; Span: 1 trace_id, 2 span_id, 4 parent_span_id, 5 name, 6 kind, 13 links;
    // Link: 1 trace_id, 2 span_id; KeyValue: 1 key, 2 value; AnyValue: 1 string_value.
    private static IEnumerable<CollectedSpan> ReadTraces(byte[] request)
    {
        foreach (var resourceSpans in Fields(request).Where(field => field.Number == 1))
        {
            var fields = Fields(resourceSpans.Bytes).ToList();
            var service = fields.Where(field => field.Number == 1).SelectMany(resource => Fields(resource.Bytes))
                .Where(field => field.Number == 1).Select(Attribute)
                .FirstOrDefault(attribute => attribute.Key == "service.name").Value ?? "";
            foreach (var span in fields.Where(field => field.Number == 2).SelectMany(scope => Fields(scope.Bytes)).Where(field => field.Number == 2))
            {
                yield return ReadSpan(service, span.Bytes);
            }
        }
    }

    private static CollectedSpan ReadSpan(string service, byte[] bytes)
    {
        string traceId = "", spanId = "", parent = "", name = "";
        var kind = 0;
        var links = new List<(string, string)>();
        foreach (var field in Fields(bytes))
        {
            switch (field.Number)
            {
                case 1: traceId = Convert.ToHexStringLower(field.Bytes); break;
                case 2: spanId = Convert.ToHexStringLower(field.Bytes); break;
                case 4: parent = Convert.ToHexStringLower(field.Bytes); break;
                case 5: name = System.Text.Encoding.UTF8.GetString(field.Bytes); break;
                case 6: kind = (int)field.Varint; break;
                case 13:
                    var link = Fields(field.Bytes).ToList();
                    links.Add((Convert.ToHexStringLower(link.First(f => f.Number == 1).Bytes), Convert.ToHexStringLower(link.First(f => f.Number == 2).Bytes)));
                    break;
            }
        }

        return new CollectedSpan(service, traceId, spanId, parent, name, kind, links);
    }

    private static (string Key, string? Value) Attribute(Field keyValue)
    {
        var fields = Fields(keyValue.Bytes).ToList();
        var key = System.Text.Encoding.UTF8.GetString(fields.First(field => field.Number == 1).Bytes);
        var value = fields.Where(field => field.Number == 2).SelectMany(any => Fields(any.Bytes)).FirstOrDefault(field => field.Number == 1);
        return (key, value.Bytes is null ? null : System.Text.Encoding.UTF8.GetString(value.Bytes));
    }

    private readonly record struct Field(int Number, ulong Varint, byte[] Bytes);

    private static IEnumerable<Field> Fields(byte[] message)
    {
        var position = 0;
        while (position < message.Length)
        {
            var tag = ReadVarint(message, ref position);
            var number = (int)(tag >> 3);
            switch ((int)(tag & 7))
            {
                case 0:
                    yield return new Field(number, ReadVarint(message, ref position), []);
                    break;
                case 1:
                    position += 8;
                    break;
                case 2:
                    var length = (int)ReadVarint(message, ref position);
                    yield return new Field(number, 0, message[position..(position + length)]);
                    position += length;
                    break;
                case 5:
                    position += 4;
                    break;
                default:
                    throw new InvalidDataException($"Unknown protobuf wire type in field {number}.");
            }
        }
    }

    private static ulong ReadVarint(byte[] message, ref int position)
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = message[position++];
            value |= (ulong)(b & 0x7f) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }
    }
}
