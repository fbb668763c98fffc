using System.Net;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GithubEvents.ServiceDefaults.Kafka;

/// <summary>
/// At start, warns when a Kafka client of this process talks to a broker beyond this machine in the clear
/// (<c>security.protocol</c> unset or <c>plaintext</c>): events, profiles and dead letters then cross the network
/// unencrypted and unauthenticated. A broker on loopback, as in a run on one machine, is left unremarked.
/// </summary>
public sealed partial class KafkaPlaintextWarning(string section, IReadOnlyDictionary<string, string> config, ILogger<KafkaPlaintextWarning> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (IsPlaintextBeyondThisMachine(config))
        {
            LogPlaintext(config.GetValueOrDefault("bootstrap.servers", ""), $"{section}:Config:security.protocol");
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Whether the client would talk PLAINTEXT to at least one bootstrap server not on loopback.</summary>
    public static bool IsPlaintextBeyondThisMachine(IReadOnlyDictionary<string, string> config)
    {
        var protocol = config.GetValueOrDefault("security.protocol", "plaintext");
        if (!protocol.Equals("plaintext", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return config.GetValueOrDefault("bootstrap.servers", "")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Any(server => !IsLoopback(Host(server)));
    }

    // host:port, [v6]:port, or a bare host; a scheme (PLAINTEXT://host:port) is dropped.
    private static string Host(string server)
    {
        var address = server.Contains("://", StringComparison.Ordinal) ? server[(server.IndexOf("://", StringComparison.Ordinal) + 3)..] : server;
        if (address.StartsWith('['))
        {
            return address[1..Math.Max(1, address.IndexOf(']', StringComparison.Ordinal))];
        }

        var colon = address.LastIndexOf(':');
        return colon > 0 ? address[..colon] : address;
    }

    private static bool IsLoopback(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));

    [LoggerMessage(LogLevel.Warning,
        "Kafka at {BootstrapServers} is reached over PLAINTEXT: events cross the network unencrypted and unauthenticated. Set {Setting} to SASL_SSL or SSL with its sasl.* and ssl.* settings (docs/deployment.md#security)")]
    private partial void LogPlaintext(string bootstrapServers, string setting);
}
