using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Amazon.S3;
using Amazon.S3.Model;
using GithubEvents.ServiceDefaults.Archive;
using GithubEvents.Tests.AppHost;

namespace GithubEvents.Tests.Infrastructure;

/// <summary>
/// s3rver, a local S3-compatible server (Node.js, installed by <c>.ci/run</c> in <c>.ci/s3rver</c>; by hand,
/// <c>npm ci --prefix .ci/s3rver</c>), on a free loopback port with a temporary folder, stopped and deleted on dispose.
/// Tests isolate themselves by bucket.
/// </summary>
public sealed class S3Server : IAsyncLifetime
{
    /// <summary>s3rver's built-in account: it refuses any other key id (it does not check version 4 signatures).</summary>
    public const string AccessKeyId = "S3RVER";

    public const string SecretAccessKey = "S3RVER";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("github-events-s3-");
    private readonly StringBuilder _output = new();
    private Process? _process;
    private AmazonS3Client? _client;

    public int Port { get; } = FreePort.Next();

    public Uri ServiceUrl => new($"http://127.0.0.1:{Port}/");

    /// <summary>The <c>Archive:S3</c> settings of an archive in <paramref name="bucket"/> on this server.</summary>
    public Dictionary<string, string?> Settings(string bucket, string prefix = "") => new()
    {
        ["Archive:S3:ServiceUrl"] = ServiceUrl.ToString(),
        ["Archive:S3:Bucket"] = bucket,
        ["Archive:S3:Prefix"] = prefix,
        ["Archive:S3:AccessKeyId"] = AccessKeyId,
        ["Archive:S3:SecretAccessKey"] = SecretAccessKey,
    };

    public async ValueTask InitializeAsync()
    {
        var package = Path.Combine(AppHostProcess.RepositoryRoot(), ".ci", "s3rver");
        var server = Path.Combine(package, "node_modules", "s3rver", "bin", "s3rver.js");
        Assert.True(File.Exists(server), $"s3rver is not installed: run 'npm ci --prefix {package}' (Node.js and npm), as .ci/run does.");

        var startInfo = new ProcessStartInfo("node", [server, "--directory", _folder.FullName, "--address", "127.0.0.1", "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        _process = Process.Start(startInfo)!;
        _process.OutputDataReceived += (_, line) => Record(line.Data);
        _process.ErrorDataReceived += (_, line) => Record(line.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await WaitUntilListeningAsync();
        _client = ArchiveStorage.CreateClient(new ArchiveStorageOptions { ServiceUrl = ServiceUrl, AccessKeyId = AccessKeyId, SecretAccessKey = SecretAccessKey });
    }

    /// <summary>A new, empty bucket of the test's own, and the archive under <paramref name="prefix"/> in it.</summary>
    public async Task<ArchiveBucket> CreateBucketAsync(string prefix = "")
    {
        var name = $"archive-{Guid.NewGuid():N}";
        await _client!.PutBucketAsync(new PutBucketRequest { BucketName = name }, TestContext.Current.CancellationToken);
        return new ArchiveBucket(_client, name, prefix);
    }

    public async ValueTask DisposeAsync()
    {
        _client?.Dispose();
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None);
        }

        _process?.Dispose();
        _folder.Delete(recursive: true);
    }

    private async Task WaitUntilListeningAsync()
    {
        var deadline = DateTime.UtcNow + StartTimeout;
        while (true)
        {
            Assert.False(_process!.HasExited, $"s3rver exited with code {(_process.HasExited ? _process.ExitCode : 0)}: {Output()}");
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync("127.0.0.1", Port, TestContext.Current.CancellationToken);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100, TestContext.Current.CancellationToken);
            }
        }
    }

    private void Record(string? line)
    {
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private string Output()
    {
        lock (_output)
        {
            return _output.ToString();
        }
    }
}
