namespace Aspire.Hosting;

/// <summary>
/// A Grafana server installed on this machine: the one in <c>Local:GrafanaHome</c> when that is set, else the first
/// <c>grafana</c> or <c>grafana-server</c> on <c>PATH</c>, with its home folder (the one that holds
/// <c>conf/defaults.ini</c>): the folder above its <c>bin</c> (Grafana's archives, the Windows installer), or that
/// folder's <c>share/grafana</c> (the Debian and RPM packages, Homebrew).
/// </summary>
public sealed class GrafanaInstall
{
    private const string Server = "grafana";
    private const string LegacyServer = "grafana-server";

    private GrafanaInstall(string executable, string homePath)
    {
        Executable = executable;
        HomePath = homePath;
    }

    public string Executable { get; }

    public string HomePath { get; }

    /// <summary>Whether it is the older <c>grafana-server</c>, which takes no <c>server</c> command.</summary>
    public bool IsLegacyServer => Path.GetFileNameWithoutExtension(Executable) == LegacyServer;

    /// <summary>The arguments that start the server with <paramref name="configFile"/>.</summary>
    public string[] Arguments(string configFile) =>
        [.. IsLegacyServer ? Array.Empty<string>() : ["server"], "--homepath", HomePath, "--config", configFile];

    /// <summary>
    /// The install, or null when <c>PATH</c> has none. Start-up stops, naming <c>Local:GrafanaHome</c>, when that folder
    /// holds no Grafana server, or when the home folder of the one on <c>PATH</c> cannot be found.
    /// </summary>
    public static GrafanaInstall? Find(string? configuredHome, string? searchPath)
    {
        if (!string.IsNullOrWhiteSpace(configuredHome))
        {
            var home = Path.GetFullPath(configuredHome);
            return ServerIn(Path.Combine(home, "bin")) is { } configured
                ? new GrafanaInstall(configured, home)
                : throw new DistributedApplicationException(
                    $"Local:GrafanaHome ('{configuredHome}') holds no Grafana server ({Path.Combine("bin", FileName(Server))} or {Path.Combine("bin", FileName(LegacyServer))}): " +
                    "set it to the folder Grafana is installed in, or remove it to find grafana on PATH.");
        }

        var found = (searchPath ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Select(ServerIn).FirstOrDefault(server => server is not null);
        if (found is null)
        {
            return null;
        }

        // Homebrew and the packages link the server into a bin folder of their own; its home is beside the real file.
        var root = (new FileInfo(found).ResolveLinkTarget(returnFinalTarget: true) as FileInfo ?? new FileInfo(found)).Directory!.Parent!.FullName;
        return new[] { root, Path.Combine(root, "share", "grafana") }.FirstOrDefault(IsHome) is { } homePath
            ? new GrafanaInstall(found, homePath)
            : throw new DistributedApplicationException(
                $"Grafana's server is on PATH ({found}), but not its home folder (conf/defaults.ini in {root} or {Path.Combine(root, "share", "grafana")}): " +
                "set Local:GrafanaHome to the folder Grafana is installed in.");
    }

    private static string? ServerIn(string directory) =>
        new[] { Server, LegacyServer }.Select(name => Path.Combine(directory, FileName(name))).FirstOrDefault(File.Exists);

    private static bool IsHome(string directory) => File.Exists(Path.Combine(directory, "conf", "defaults.ini"));

    private static string FileName(string name) => OperatingSystem.IsWindows() ? name + ".exe" : name;
}
