using Microsoft.Extensions.Logging;

namespace Aspire.Hosting;

/// <summary>What the AppHost says about Grafana at start.</summary>
internal static partial class GrafanaLog
{
    [LoggerMessage(Level = LogLevel.Information,
        Message = "Grafana is left out: {Reason}, and no Grafana server is installed ('grafana' or 'grafana-server' on PATH, or Local:GrafanaHome). " +
                  "To have the AppHost run Grafana, install it and start the AppHost again: on Debian and Ubuntu from Grafana's APT repository " +
                  "(https://apt.grafana.com, package grafana; https://grafana.com/docs/grafana/latest/setup-grafana/installation/debian/), " +
                  "on macOS with 'brew install grafana', on Windows with the installer from https://grafana.com/grafana/download. " +
                  "Or point a Grafana of your own at the database with GithubEvents.AppHost/Grafana/provisioning (docs/grafana.md).")]
    public static partial void LeftOut(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Grafana runs from this machine's install ({Executable}), because {Reason}; its data, logs and provisioning are in {Folder}")]
    public static partial void RunsInstalled(ILogger logger, string executable, string reason, string folder);

    [LoggerMessage(Level = LogLevel.Information, Message = "Grafana listens at {Url} (user admin, with the password of the parameter {PasswordParameter})")]
    public static partial void Listens(ILogger logger, string url, string passwordParameter);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Grafana reads the database as '{User}', the services' login, as {Setting} allows: set ConnectionStrings:{Name}-reader to a read-only role's connection string.")]
    public static partial void ReadsAsServicesLogin(ILogger logger, string user, string setting, string name);
}
