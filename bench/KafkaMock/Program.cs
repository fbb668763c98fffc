using Confluent.Kafka;

// Holds a librdkafka mock cluster (real Kafka protocol on loopback) for the benchmark: prints its bootstrap
// servers on the first line, then keeps it alive until standard input closes.
var brokers = args is [var count] ? count : "1";
var config = new ProducerConfig();
config.Set("test.mock.num.brokers", brokers);
using var owner = new ProducerBuilder<Null, Null>(config).SetLogHandler((_, _) => { }).Build();
using var admin = new DependentAdminClientBuilder(owner.Handle).Build();
var metadata = admin.GetMetadata(TimeSpan.FromSeconds(10));
Console.WriteLine(string.Join(",", metadata.Brokers.Select(b => $"{b.Host}:{b.Port}")));
await Console.In.ReadToEndAsync();
