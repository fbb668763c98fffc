using System.Diagnostics;
using System.Text;
using Confluent.Kafka;
using GithubEvents.ServiceDefaults.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace GithubEvents.Tests.Kafka;

public sealed class KafkaTraceContextTests(KafkaMockCluster kafka)
{
    private static readonly ActivitySource PollSource = new("GithubEvents.Tests.Poll");

    [Fact]
    public async Task One_trace_runs_from_the_producing_span_through_the_message_to_the_consumer()
    {
        using var spans = Spans();
        var topic = KafkaMockCluster.NewTopicName();
        using var host = Host(topic);
        var producer = host.Services.GetRequiredService<IProducer<string, byte[]>>();
        var consumer = host.Services.GetRequiredService<IConsumer<string, byte[]>>();

        ActivityTraceId traceId;
        using (var poll = PollSource.StartActivity("poll GitHub events"))
        {
            traceId = poll!.TraceId;
            await producer.ProduceAsync(topic, new Message<string, byte[]> { Key = "1", Value = "{}"u8.ToArray() }, TestContext.Current.CancellationToken);
        }

        consumer.Subscribe(topic);
        var result = KafkaClientHost.ConsumeOne(consumer);

        var traceParent = Encoding.UTF8.GetString(result.Message.Headers.GetLastBytes("traceparent"));
        Assert.Equal(traceId, KafkaTracing.Extract(result.Message.Headers).TraceId);
        Assert.Contains(traceId.ToHexString(), traceParent);

        var trace = spans.Stopped.Where(a => a.TraceId == traceId).ToArray();

        var publish = Assert.Single(trace, a => a.Kind == ActivityKind.Producer);
        var receive = Assert.Single(trace, a => a.Kind == ActivityKind.Consumer);
        Assert.Equal($"{topic} publish", publish.DisplayName);
        Assert.Equal(publish.SpanId, receive.ParentSpanId);
        Assert.Equal(topic, receive.GetTagItem("messaging.destination.name"));
    }

    [Fact]
    public void A_fire_and_forget_send_ends_its_span_on_delivery_and_leaves_the_callers_activity_current()
    {
        using var spans = Spans();
        var topic = KafkaMockCluster.NewTopicName();
        using var host = Host(topic);
        var producer = host.Services.GetRequiredService<IProducer<string, byte[]>>();
        DeliveryReport<string, byte[]>? delivered = null;

        using var poll = PollSource.StartActivity("poll GitHub events")!;
        producer.Produce(topic, new Message<string, byte[]> { Key = "1", Value = [1] }, report => delivered = report);
        Assert.Same(poll, Activity.Current);
        producer.Flush(TimeSpan.FromSeconds(30));

        Assert.False(delivered!.Error.IsError);
        var publish = Assert.Single(spans.Stopped, a => a.TraceId == poll.TraceId && a.Kind == ActivityKind.Producer);

        Assert.Equal(poll.SpanId, publish.ParentSpanId);
    }

    [Fact]
    public async Task An_external_client_reads_the_trace_context_header()
    {
        var topic = KafkaMockCluster.NewTopicName();
        using var host = Host(topic);
        var producer = host.Services.GetRequiredService<IProducer<string, byte[]>>();

        using (new Activity("poll").SetIdFormat(ActivityIdFormat.W3C).Start())
        {
            await producer.ProduceAsync(topic, new Message<string, byte[]> { Key = "42", Value = "{\"id\":\"1\"}"u8.ToArray() }, TestContext.Current.CancellationToken);
        }

        var output = await Kcat.RunAsync("-C", "-b", kafka.BootstrapServers, "-t", topic, "-c", "1", "-e", "-f", "%k|%h|%s");

        Assert.Matches(@"^42\|traceparent=00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]\|\{""id"":""1""\}", output);
    }

    private IHost Host(string topic)
    {
        var builder = KafkaClientHost.Builder(kafka.BootstrapServers, new Dictionary<string, string?>
        {
            ["Kafka:Consumer:Config:group.id"] = $"group-{topic}",
        });
        builder.AddKafkaProducer<string, byte[]>("kafka");
        builder.AddKafkaConsumer<string, byte[]>("kafka");
        return builder.Build();
    }

    private static ActivityCapture Spans() => new(source => source.Name is KafkaTracing.ActivitySourceName or "GithubEvents.Tests.Poll");
}
