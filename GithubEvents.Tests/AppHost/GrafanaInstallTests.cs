using Aspire.Hosting;

namespace GithubEvents.Tests.AppHost;

/// <summary>Which Grafana server of this machine the AppHost finds, and the home folder it starts it with.</summary>
public sealed class GrafanaInstallTests
{
    [Fact]
    public void An_archive_install_on_PATH_has_its_home_above_bin_and_is_started_with_the_server_command()
    {
        using var grafana = StandInGrafana.Create();

        var install = GrafanaInstall.Find(configuredHome: null, Path.GetDirectoryName(grafana.Executable));

        Assert.NotNull(install);
        Assert.Equal(grafana.Executable, install.Executable);
        Assert.Equal(grafana.HomePath, install.HomePath);
        Assert.Equal(["server", "--homepath", grafana.HomePath, "--config", "/run/grafana.ini"], install.Arguments("/run/grafana.ini"));
    }

    [Fact]
    public void A_packages_grafana_server_in_sbin_has_its_home_in_share_grafana_and_takes_no_server_command()
    {
        using var grafana = StandInGrafana.Create("grafana-server", homeBelowRoot: Path.Combine("share", "grafana"));

        var install = GrafanaInstall.Find(configuredHome: null, Path.GetDirectoryName(grafana.Executable));

        Assert.NotNull(install);
        Assert.Equal(grafana.HomePath, install.HomePath);
        Assert.True(install.IsLegacyServer);
        Assert.Equal(["--homepath", grafana.HomePath, "--config", "/run/grafana.ini"], install.Arguments("/run/grafana.ini"));
    }

    [Fact]
    public void A_link_on_PATH_leads_to_the_home_of_the_server_it_points_at()
    {
        using var grafana = StandInGrafana.Create();
        var links = Directory.CreateTempSubdirectory("grafana-links-");
        try
        {
            File.CreateSymbolicLink(Path.Combine(links.FullName, "grafana"), grafana.Executable);

            var install = GrafanaInstall.Find(configuredHome: null, links.FullName);

            Assert.NotNull(install);
            Assert.Equal(Path.Combine(links.FullName, "grafana"), install.Executable);
            Assert.Equal(grafana.HomePath, install.HomePath);
        }
        finally
        {
            links.Delete(recursive: true);
        }
    }

    [Fact]
    public void The_first_folder_on_PATH_with_a_server_wins_and_in_it_grafana_before_grafana_server()
    {
        using var legacy = StandInGrafana.Create("grafana-server");
        using var modern = StandInGrafana.Create();
        var both = Path.GetDirectoryName(modern.Executable)!;
        File.Copy(legacy.Executable, Path.Combine(both, "grafana-server"));
        var empty = Path.Combine(Path.GetTempPath(), $"no-such-folder-{Guid.NewGuid():N}");

        Assert.Equal(legacy.Executable, GrafanaInstall.Find(null, string.Join(Path.PathSeparator, empty, Path.GetDirectoryName(legacy.Executable), both))!.Executable);
        Assert.Equal(modern.Executable, GrafanaInstall.Find(null, string.Join(Path.PathSeparator, empty, both, Path.GetDirectoryName(legacy.Executable)))!.Executable);
        Assert.Null(GrafanaInstall.Find(null, empty));
        Assert.Null(GrafanaInstall.Find(null, null));
    }

    [Fact]
    public void A_configured_home_wins_over_PATH_and_one_without_a_server_stops_start_up_naming_the_setting()
    {
        using var onPath = StandInGrafana.Create();
        using var configured = StandInGrafana.Create("grafana-server");

        Assert.Equal(configured.Executable, GrafanaInstall.Find(configured.HomePath, Path.GetDirectoryName(onPath.Executable))!.Executable);

        var error = Assert.Throws<DistributedApplicationException>(() => GrafanaInstall.Find("/no/such/grafana", Path.GetDirectoryName(onPath.Executable)));
        Assert.Contains("Local:GrafanaHome ('/no/such/grafana') holds no Grafana server (bin/grafana or bin/grafana-server)", error.Message);
    }

    [Fact]
    public void A_server_on_PATH_without_a_home_folder_stops_start_up_naming_Local_GrafanaHome()
    {
        using var grafana = StandInGrafana.Create();
        File.Delete(Path.Combine(grafana.HomePath, "conf", "defaults.ini"));

        var error = Assert.Throws<DistributedApplicationException>(() => GrafanaInstall.Find(null, Path.GetDirectoryName(grafana.Executable)));

        Assert.Contains($"Grafana's server is on PATH ({grafana.Executable}), but not its home folder", error.Message);
        Assert.Contains("set Local:GrafanaHome", error.Message);
    }
}
