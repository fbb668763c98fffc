namespace Aspire.Hosting;

/// <summary><c>AppHost:Mode</c>: where the pieces without a connection string run.</summary>
public enum AppHostMode
{
    /// <summary>In containers when a container runtime answers, else on this machine.</summary>
    Auto,

    /// <summary>In containers; start-up stops when no container runtime answers.</summary>
    Containers,

    /// <summary>On this machine: PostgreSQL from its binaries, the development Kafka broker in the AppHost.</summary>
    Local,
}
