using System.Globalization;
using GithubEvents.KafkaMock;

// Holds a librdkafka mock cluster (real Kafka protocol on loopback) for the benchmarks: prints its bootstrap servers on
// the first line, then reads commands from standard input until it closes: `down` takes every broker down, `up` brings
// them back (each answered with a line saying so, for a script that waits on it).
var brokers = args is [var count] ? int.Parse(count, CultureInfo.InvariantCulture) : 1;
using var cluster = MockCluster.Start(brokers);
Console.WriteLine(cluster.BootstrapServers);
while (await Console.In.ReadLineAsync() is { } command)
{
    switch (command.Trim())
    {
        case "down":
            cluster.TakeBrokersDown();
            Console.WriteLine("down");
            break;
        case "up":
            cluster.BringBrokersUp();
            Console.WriteLine("up");
            break;
        case var other:
            await Console.Error.WriteLineAsync($"KafkaMock: unknown command '{other}' (expected 'down' or 'up')");
            break;
    }
}
