namespace Aspire.Hosting;

/// <summary>Which Grafana server of this machine the AppHost runs where no container runtime answers, bound from <c>Local</c>.</summary>
public sealed class LocalGrafanaOptions
{
    public const string SectionName = "Local";

    /// <summary>
    /// A Grafana install folder: its <c>bin/grafana</c> (or the older <c>bin/grafana-server</c>) is run with this folder as
    /// <c>--homepath</c>. By default <c>grafana</c> or <c>grafana-server</c> is found on <c>PATH</c> (see <see cref="GrafanaInstall"/>).
    /// </summary>
    public string? GrafanaHome { get; set; }
}
