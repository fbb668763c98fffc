namespace Aspire.Hosting;

/// <summary>Where one piece the services need (the broker, the database) runs.</summary>
public enum PiecePlacement
{
    /// <summary>An existing server, from its connection string.</summary>
    Existing,

    /// <summary>A container the AppHost runs.</summary>
    Container,

    /// <summary>On this machine, without a container.</summary>
    Local,
}
