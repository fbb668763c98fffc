using System.Text.Json;

namespace GithubEvents.Tests.AppHost;

/// <summary>
/// A stand-in for an installed Grafana server, in an install folder shaped as Grafana's (<c>bin/grafana</c> or
/// <c>bin/grafana-server</c>, <c>conf/defaults.ini</c>): a script that records the arguments and the environment it was
/// started with, then answers every HTTP request with 200, as Grafana's <c>/api/health</c> does, where Grafana would
/// listen (<c>GF_SERVER_HTTP_ADDR</c>, <c>GF_SERVER_HTTP_PORT</c>).
/// </summary>
public sealed class StandInGrafana : IDisposable
{
    private const string Script =
        """
        #!/usr/bin/env python3
        import http.server, json, os, sys
        record = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "started.json")
        with open(record + ".tmp", "w") as f:
            json.dump({"arguments": sys.argv[1:], "environment": dict(os.environ)}, f)
        os.replace(record + ".tmp", record)

        class Healthy(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                body = b'{"database": "ok"}'
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        http.server.ThreadingHTTPServer((os.environ["GF_SERVER_HTTP_ADDR"], int(os.environ["GF_SERVER_HTTP_PORT"])), Healthy).serve_forever()
        """;

    private static readonly Lazy<string> EmptyFolder = new(() => Directory.CreateTempSubdirectory("no-grafana-").FullName);

    private readonly DirectoryInfo _root;

    private StandInGrafana(DirectoryInfo root, string homePath, string executable)
    {
        _root = root;
        HomePath = homePath;
        Executable = executable;
    }

    /// <summary>The argument that leaves no Grafana on the <c>PATH</c> the AppHost searches.</summary>
    public static string NoneOnPath => $"--PATH={EmptyFolder.Value}";

    public string HomePath { get; }

    public string Executable { get; }

    /// <summary>The argument that puts the stand-in's folder first on the <c>PATH</c> the AppHost searches.</summary>
    public string OnPath => $"--PATH={Path.GetDirectoryName(Executable)}{Path.PathSeparator}{Environment.GetEnvironmentVariable("PATH")}";

    public string AsGrafanaHome => $"--Local:GrafanaHome={HomePath}";

    /// <summary>
    /// A stand-in named <paramref name="name"/> in <c>{home}/bin</c>, where <c>{home}</c> is the root of a temporary
    /// folder, or its <paramref name="homeBelowRoot"/> (the packages keep the server in <c>/usr/sbin</c>, its home in
    /// <c>/usr/share/grafana</c>).
    /// </summary>
    public static StandInGrafana Create(string name = "grafana", string? homeBelowRoot = null)
    {
        var root = Directory.CreateTempSubdirectory("stand-in-grafana-");
        var home = homeBelowRoot is null ? root.FullName : Path.Combine(root.FullName, homeBelowRoot);
        Directory.CreateDirectory(Path.Combine(home, "conf"));
        File.WriteAllText(Path.Combine(home, "conf", "defaults.ini"), "; a stand-in's\n");
        var bin = Directory.CreateDirectory(Path.Combine(root.FullName, homeBelowRoot is null ? "bin" : "sbin"));
        var executable = Path.Combine(bin.FullName, name);
        File.WriteAllText(executable, Script.ReplaceLineEndings("\n") + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(executable, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return new StandInGrafana(root, home, executable);
    }

    /// <summary>The arguments and environment the stand-in was started with, once it has been.</summary>
    public async Task<(string[] Arguments, Dictionary<string, string> Environment)> StartedAsync(TimeSpan timeout)
    {
        var record = Path.Combine(_root.FullName, "started.json");
        var deadline = DateTime.UtcNow + timeout;
        while (!File.Exists(record))
        {
            Assert.True(DateTime.UtcNow < deadline, "The stand-in Grafana was not started.");
            await Task.Delay(200, TestContext.Current.CancellationToken);
        }

        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(record, TestContext.Current.CancellationToken));
        return (json.RootElement.GetProperty("arguments").EnumerateArray().Select(a => a.GetString()!).ToArray(),
            json.RootElement.GetProperty("environment").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!));
    }

    public void Dispose() => _root.Delete(recursive: true);
}
