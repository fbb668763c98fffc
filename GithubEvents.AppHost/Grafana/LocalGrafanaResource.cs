namespace Aspire.Hosting.ApplicationModel;

/// <summary>
/// A Grafana server installed on this machine, run by the AppHost as a process, with everything it writes in
/// <paramref name="folder"/>: its database, logs and plugins, the provisioning files of this run, and its configuration file.
/// </summary>
public sealed class LocalGrafanaResource(string name, string command, string folder)
    : ExecutableResource(name, command, folder), IGrafanaResource
{
    internal const string PrimaryEndpointName = "http";

    private EndpointReference? _primaryEndpoint;

    public EndpointReference PrimaryEndpoint => _primaryEndpoint ??= new(this, PrimaryEndpointName);

    public string DataDirectory => Path.Combine(WorkingDirectory, "data");

    public string LogsDirectory => Path.Combine(WorkingDirectory, "logs");

    public string PluginsDirectory => Path.Combine(WorkingDirectory, "plugins");

    /// <summary>The committed provisioning files, copied afresh at every start, and the files this run writes over them.</summary>
    public string ProvisioningDirectory => Path.Combine(WorkingDirectory, "provisioning");

    /// <summary>
    /// The configuration file Grafana is started with: it holds no setting (the environment carries them all), and stands
    /// in for the install's own <c>conf/custom.ini</c>, which would otherwise change the run.
    /// </summary>
    public string ConfigFile => Path.Combine(WorkingDirectory, "grafana.ini");
}
