using System.Diagnostics;

namespace Aspire.Hosting;

/// <summary>
/// The PostgreSQL server binaries of this machine: <c>Local:PostgresBin</c> when set, else <c>initdb</c> and
/// <c>postgres</c> on <c>PATH</c>, else <c>pg_config --bindir</c>, else the newest <c>/usr/lib/postgresql/*/bin</c>.
/// </summary>
public sealed class PostgresBinaries
{
    private PostgresBinaries(string directory) => Directory = directory;

    public string Directory { get; }

    public string Initdb => Path.Combine(Directory, "initdb");

    public string Postgres => Path.Combine(Directory, "postgres");

    public string PgCtl => Path.Combine(Directory, "pg_ctl");

    /// <summary>Whether the server can load TimescaleDB (its library beside the server's own).</summary>
    public bool HasTimescaleDb => File.Exists(Path.Combine(Directory, "..", "lib", "timescaledb.so"))
        || File.Exists(Path.Combine(Directory, "..", "lib", "postgresql", "timescaledb.so"));

    /// <summary>The binaries, or null when none are found; <paramref name="configured"/> alone counts when it is set.</summary>
    public static PostgresBinaries? Find(string? configured)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return Has(configured) ? new PostgresBinaries(Path.GetFullPath(configured)) : null;
        }

        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .FirstOrDefault(Has);
        if (onPath is not null)
        {
            // Debian links the binaries into /usr/bin; the libraries live beside the real ones.
            var initdb = new FileInfo(Path.Combine(onPath, "initdb"));
            return new PostgresBinaries((initdb.ResolveLinkTarget(returnFinalTarget: true) as FileInfo)?.DirectoryName ?? onPath);
        }

        if (PgConfigBinDir() is { } bindir && Has(bindir))
        {
            return new PostgresBinaries(bindir);
        }

        var installed = System.IO.Directory.Exists("/usr/lib/postgresql")
            ? System.IO.Directory.GetDirectories("/usr/lib/postgresql")
                .Select(version => Path.Combine(version, "bin"))
                .Where(Has)
                .OrderByDescending(bin => int.TryParse(new DirectoryInfo(bin).Parent!.Name, out var major) ? major : 0)
                .FirstOrDefault()
            : null;
        return installed is null ? null : new PostgresBinaries(installed);
    }

    private static bool Has(string directory) =>
        File.Exists(Path.Combine(directory, "initdb")) && File.Exists(Path.Combine(directory, "postgres"));

    private static string? PgConfigBinDir()
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("pg_config", ["--bindir"]) { RedirectStandardOutput = true, RedirectStandardError = true });
            if (process is null)
            {
                return null;
            }

            var output = process.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit();
            return process.ExitCode == 0 && output.Length > 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
