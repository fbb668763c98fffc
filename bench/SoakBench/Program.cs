using System.Globalization;
using System.Text.Json.Nodes;
using Confluent.Kafka;
using GithubEvents.Tests.Fakes;

// The helpers of bench/soak/run.sh:
//   fakes SAMPLE LOCATIONS RATE SHOWN   the fake GitHub, its public feed moving at RATE events/s (events made from the GH
//                                       Archive SAMPLE: fresh ids, created when they reach the feed, actors cycling through
//                                       ACTOR_COPIES copies of the sample's, each an account placed at a LOCATIONS entry),
//                                       with bursts of 5xx and slow answers on the feed (FeedBursts); and the fake Nominatim. Prints
//                                       their addresses and takes commands on standard input: `github down`, `github up`,
//                                       `nominatim down`, `nominatim up`, `stop` (the feed stops moving). When standard input
//                                       closes, writes every event the public feed showed in a 200 to SHOWN (id, a tab, its
//                                       created_at, which is when it reached the feed) and prints events released, shown,
//                                       bursts, and requests by path and status.
//   committed BOOTSTRAP TOPIC GROUP     for each partition of TOPIC: the partition, GROUP's committed offset, the end offset
return args switch
{
    ["fakes", var sample, var locations, var rate, var shown] => await FakesAsync(sample, locations, double.Parse(rate, CultureInfo.InvariantCulture), shown),
    ["committed", var bootstrap, var topic, var group] => Committed(bootstrap, topic, group),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: fakes SAMPLE LOCATIONS RATE SHOWN | committed BOOTSTRAP TOPIC GROUP");
    return 2;
}

static async Task<int> FakesAsync(string samplePath, string locationsPath, double perSecond, string shownPath)
{
    var copies = int.TryParse(Environment.GetEnvironmentVariable("ACTOR_COPIES"), out var n) ? n : 50;
    var locations = File.ReadLines(locationsPath).Where(line => line.Length > 0 && !line.StartsWith('#')).Select(line => line.Split('\t')[0]).ToArray();
    var feed = new SoakFeed(File.ReadLines(samplePath).Where(line => line.Length > 0).Select(line => JsonNode.Parse(line)!.AsObject()).ToList(), copies);

    await using var github = new FakeGitHub();
    await using var nominatim = new FakeNominatim();
    foreach (var (id, login) in feed.Actors())
    {
        github.AddGeneratedUser(id, login, login.EndsWith("[bot]", StringComparison.Ordinal) ? "Bot" : "User", locations[id % locations.Length]);
    }

    await github.InitializeAsync();
    await nominatim.InitializeAsync();
    github.ReleaseEvents(perSecond, feed.Event);
    Console.WriteLine(github.BaseAddress);
    Console.WriteLine(nominatim.BaseAddress);

    // The profiles' paths (GraphQL, and REST as its fallback); the public feed's outage is the bursts' to start and end.
    string[] profilePaths = ["/graphql", "/users", "/user"];
    using var stop = new CancellationTokenSource();
    var bursts = new FeedBursts(github);
    var bursting = bursts.RunAsync(stop.Token);
    while (await Console.In.ReadLineAsync() is { } command)
    {
        switch (command.Trim())
        {
            case "github down":
                bursts.StartOutage();
                foreach (var prefix in profilePaths)
                {
                    github.StartOutage(prefix, FakeGitHub.ServerError(503));
                }

                break;
            case "github up":
                bursts.EndOutage();
                foreach (var prefix in profilePaths)
                {
                    github.EndOutage(prefix);
                }

                break;
            case "nominatim down":
                nominatim.StartOutage("/search", FakeNominatim.Blocked());
                break;
            case "nominatim up":
                nominatim.EndOutage("/search");
                break;
            case "stop":
                var released = github.ReleasedEvents;
                github.ReleaseEvents(0, feed.Event);
                feed.Stopped(released);
                break;
            case var other:
                await Console.Error.WriteLineAsync($"SoakBench: unknown command '{other}'");
                break;
        }
    }

    await stop.CancelAsync();
    await bursting;
    // By path ("/events", "/graphql", "/users") and status: "/events 200:1234 502:6, /graphql 200:80".
    var byStatus = github.Requests.GroupBy(request => "/" + request.Path.Split('/', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()).OrderBy(path => path.Key)
        .Select(path => path.Key + " " + string.Join(' ', path.GroupBy(request => request.Status).OrderBy(status => status.Key).Select(status => $"{status.Key}:{status.Count()}")));
    var shown = ShownEvents.Write(github.ShownOnPublicFeed, shownPath);
    Console.WriteLine(string.Join('\t', feed.Released ?? github.ReleasedEvents, shown, bursts.Count, string.Join(", ", byStatus)));
    return 0;
}

static int Committed(string bootstrap, string topic, string group)
{
    using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = bootstrap, GroupId = group }).Build();
    using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrap }).Build();
    var partitions = admin.GetMetadata(topic, TimeSpan.FromSeconds(10)).Topics[0].Partitions
        .Select(partition => new TopicPartition(topic, partition.PartitionId)).ToList();
    foreach (var committed in consumer.Committed(partitions, TimeSpan.FromSeconds(10)))
    {
        var end = consumer.QueryWatermarkOffsets(committed.TopicPartition, TimeSpan.FromSeconds(10)).High;
        Console.WriteLine(FormattableString.Invariant($"{committed.Partition.Value} {Math.Max(committed.Offset.Value, 0)} {end.Value}"));
    }

    return 0;
}
