using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using GithubEvents.Enrich.Events;
using GithubEvents.Enrich.Storage;
using Npgsql;

namespace GithubEvents.Tests.Enrich;

/// <summary>
/// A PostgreSQL cluster of its own serving TLS with a certificate of a CA the test makes: the owner's login that migrates,
/// Enrich's writer and Grafana's reader all connect with <c>sslmode=verify-full</c> from the connection string's TLS
/// settings, and a server whose certificate the root does not vouch for is refused (issue 28, item 4).
/// </summary>
public sealed class DatabaseTlsTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"github-events-tls-{Guid.NewGuid():N}");
    private PostgresServer? _server;

    private string RootCertificate => Path.Combine(_directory, "root.crt");

    private string OtherRootCertificate => Path.Combine(_directory, "other-root.crt");

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        using var authority = Authority("GithubEvents test CA");
        using var other = Authority("Some other CA");
        await File.WriteAllTextAsync(RootCertificate, authority.ExportCertificatePem(), TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(OtherRootCertificate, other.ExportCertificatePem(), TestContext.Current.CancellationToken);

        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var certificate = request.Create(authority, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1), RandomNumberGenerator.GetBytes(16));

        _server = new PostgresServer { Tls = (certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem()) };
        await _server.InitializeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task The_migrations_the_writer_and_the_reader_connect_with_verify_full()
    {
        var roles = new DatabaseOptions
        {
            ReaderRole = "tls_reader",
            ReaderPassword = "reader over tls",
            WriterRole = "tls_writer",
            WriterPassword = "writer over tls",
        };
        var owner = VerifyFull(await _server!.CreateDatabaseAsync(), RootCertificate);

        // The setup migrates and makes the roles as the owner over TLS; the writer's connections take the same settings.
        await using var database = await EventDatabase.OpenAsync(owner, EventDatabase.Options(SchemaFlavor.Postgres), roles);
        Assert.True(GitHubEventParser.TryParse(TestEvents.Event(7, "WatchEvent", DateTime.UtcNow, "octocat", 583231, "octo/repo"), out var row, out _));
        Assert.Equal(1, (await database.Writer.WriteAsync([row], TestContext.Current.CancellationToken)).Inserted);

        await using (var command = database.WriterDataSource.DataSource.CreateCommand(SessionQuery))
        {
            await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
            Assert.True(await reader.ReadAsync(TestContext.Current.CancellationToken));
            Assert.Equal((roles.WriterRole, true), (reader.GetString(0), reader.GetBoolean(1)));
        }

        Assert.Equal(["postgres", "True"], await SessionAsync(owner));
        var grafana = new NpgsqlConnectionStringBuilder(owner) { Username = roles.ReaderRole, Password = roles.ReaderPassword }.ConnectionString;
        Assert.Equal([roles.ReaderRole, "True"], await SessionAsync(grafana));
        Assert.Equal(1L, await Sql.ScalarAsync(grafana, "SELECT count(*) FROM v_dashboard_events"));
    }

    [Fact]
    public async Task A_server_certificate_of_another_authority_is_refused()
    {
        var connectionString = VerifyFull(_server!.ConnectionString, OtherRootCertificate);

        var refused = await Assert.ThrowsAnyAsync<Exception>(() => Sql.ScalarAsync(connectionString, "SELECT 1"));

        var causes = new List<Exception>();
        for (Exception? cause = refused; cause is not null; cause = cause.InnerException)
        {
            causes.Add(cause);
        }

        Assert.True(causes.Any(cause => cause is System.Security.Authentication.AuthenticationException), refused.ToString());
    }

    private const string SessionQuery = "SELECT current_user::text, ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()";

    private static async Task<string[]> SessionAsync(string connectionString)
    {
        var row = Assert.Single(await Sql.RowsAsync(connectionString, SessionQuery));
        return [(string)row[0]!, row[1]!.ToString()!];
    }

    private static string VerifyFull(string connectionString, string rootCertificate) =>
        new NpgsqlConnectionStringBuilder(connectionString) { SslMode = SslMode.VerifyFull, RootCertificate = rootCertificate }.ConnectionString;

    private static X509Certificate2 Authority(string name)
    {
        var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(2));
    }
}
