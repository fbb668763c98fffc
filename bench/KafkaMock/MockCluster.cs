using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Confluent.Kafka;

namespace GithubEvents.KafkaMock;

/// <summary>
/// librdkafka's mock cluster (real Kafka protocol over TCP on loopback), owned through librdkafka's C API: Confluent.Kafka
/// does not expose the mock cluster's controls, such as taking its brokers down. The owning client is created here
/// (not through Confluent.Kafka) so that its <c>rd_kafka_t</c> is ours to hand to them. Alive until disposed; any client
/// in any process reaches it at <see cref="BootstrapServers"/>. Used by the tests' fixture and bench/KafkaMock alike.
/// </summary>
public sealed class MockCluster : IDisposable
{
    // Confluent.Kafka loads the build of librdkafka that this machine can run (its package holds several); every build
    // is named librdkafka.so.1 inside, and the dynamic loader hands that name the one already loaded.
    private const string Librdkafka = "librdkafka.so.1";
    private const int Producer = 0;

    private readonly IntPtr _owner;
    private readonly IntPtr _cluster;
    private readonly int _brokers;

    private MockCluster(IntPtr owner, IntPtr cluster, int brokers)
    {
        (_owner, _cluster, _brokers) = (owner, cluster, brokers);
        BootstrapServers = Marshal.PtrToStringUTF8(rd_kafka_mock_cluster_bootstraps(cluster))!;
    }

    public string BootstrapServers { get; }

    public static MockCluster Start(int brokers)
    {
        Library.Load();
        var config = rd_kafka_conf_new();
        Set(config, "test.mock.num.brokers", brokers.ToString(CultureInfo.InvariantCulture));
        // The owner never sends; its complaints while the brokers are down would only be noise.
        Set(config, "log_level", "0");
        var error = new StringBuilder(512);
        var owner = rd_kafka_new(Producer, config, error, (UIntPtr)error.Capacity);
        if (owner == IntPtr.Zero)
        {
            throw new InvalidOperationException($"librdkafka could not start a mock cluster: {error}");
        }

        return new MockCluster(owner, rd_kafka_handle_mock_cluster(owner), brokers);
    }

    /// <summary>Every broker drops its connections and refuses new ones; the cluster keeps what it holds.</summary>
    public void TakeBrokersDown() => ForEachBroker(rd_kafka_mock_broker_set_down);

    public void BringBrokersUp() => ForEachBroker(rd_kafka_mock_broker_set_up);

    public void Dispose() => rd_kafka_destroy(_owner);

    private void ForEachBroker(Func<IntPtr, int, int> change)
    {
        // The mock cluster numbers its brokers from 1.
        for (var broker = 1; broker <= _brokers; broker++)
        {
            if (change(_cluster, broker) is not 0 and var code)
            {
                throw new InvalidOperationException($"librdkafka's mock cluster refused to change broker {broker}: error {code}");
            }
        }
    }

    private static void Set(IntPtr config, string name, string value)
    {
        var error = new StringBuilder(512);
        if (rd_kafka_conf_set(config, name, value, error, (UIntPtr)error.Capacity) != 0)
        {
            throw new InvalidOperationException($"librdkafka refused {name}={value}: {error}");
        }
    }

    [DllImport(Librdkafka)]
    private static extern IntPtr rd_kafka_conf_new();

    [DllImport(Librdkafka, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    private static extern int rd_kafka_conf_set(IntPtr config, string name, string value, StringBuilder error, UIntPtr errorSize);

    [DllImport(Librdkafka, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    private static extern IntPtr rd_kafka_new(int type, IntPtr config, StringBuilder error, UIntPtr errorSize);

    [DllImport(Librdkafka)]
    private static extern void rd_kafka_destroy(IntPtr client);

    [DllImport(Librdkafka)]
    private static extern IntPtr rd_kafka_handle_mock_cluster(IntPtr client);

    [DllImport(Librdkafka)]
    private static extern IntPtr rd_kafka_mock_cluster_bootstraps(IntPtr cluster);

    [DllImport(Librdkafka)]
    private static extern int rd_kafka_mock_broker_set_down(IntPtr cluster, int brokerId);

    [DllImport(Librdkafka)]
    private static extern int rd_kafka_mock_broker_set_up(IntPtr cluster, int brokerId);
}
