using GithubEvents.Enrich.Storage;
using GithubEvents.Tests.Infrastructure;
using Npgsql;

namespace GithubEvents.Tests.Storage;

public sealed class ReaderRoleTests(PostgresServer postgres)
{
    [Fact]
    public async Task The_reader_logs_in_with_its_password_and_reads_present_and_future_tables_but_writes_nothing()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var database = await postgres.CreateDatabaseAsync();
        await using var dataSource = NpgsqlDataSource.Create(database);
        await Sql.ExecuteAsync(database, "CREATE TABLE before_setup (id int); INSERT INTO before_setup VALUES (1);");
        var role = NewRole();

        await ReaderRole.EnsureAsync(dataSource, role, "first password", cancellationToken);
        await Sql.ExecuteAsync(database, "CREATE TABLE after_setup (id int); INSERT INTO after_setup VALUES (2);");

        var reader = As(database, role, "first password");
        Assert.Equal(1, await Sql.ScalarAsync(reader, "SELECT id FROM before_setup"));
        Assert.Equal(2, await Sql.ScalarAsync(reader, "SELECT id FROM after_setup"));
        var denied = await Assert.ThrowsAsync<PostgresException>(() => Sql.ScalarAsync(reader, "INSERT INTO after_setup VALUES (3) RETURNING id"));
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, denied.SqlState);
        var cannotCreate = await Assert.ThrowsAsync<PostgresException>(() => Sql.ExecuteAsync(reader, "CREATE TABLE mine (id int)"));
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, cannotCreate.SqlState);
    }

    [Fact]
    public async Task Running_it_again_with_a_new_password_replaces_the_old_one()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var database = await postgres.CreateDatabaseAsync();
        await using var dataSource = NpgsqlDataSource.Create(database);
        var role = NewRole();

        await ReaderRole.EnsureAsync(dataSource, role, "old password", cancellationToken);
        await ReaderRole.EnsureAsync(dataSource, role, "new password", cancellationToken);

        var withOld = As(database, role, "old password");
        var withNew = As(database, role, "new password");
        var refused = await Assert.ThrowsAsync<PostgresException>(() => Sql.ScalarAsync(withOld, "SELECT 1"));
        Assert.Equal(PostgresErrorCodes.InvalidPassword, refused.SqlState);
        Assert.Equal(1, await Sql.ScalarAsync(withNew, "SELECT 1"));
    }

    [Fact]
    public async Task Replicas_setting_it_up_at_once_all_succeed()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var database = await postgres.CreateDatabaseAsync();
        await using var dataSource = NpgsqlDataSource.Create(database);
        var role = NewRole();

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => ReaderRole.EnsureAsync(dataSource, role, "shared password", cancellationToken)));

        var reader = As(database, role, "shared password");
        Assert.Equal(1, await Sql.ScalarAsync(reader, "SELECT 1"));
    }

    private static string NewRole() => $"reader_{Guid.NewGuid():N}"[..20];

    private static string As(string database, string role, string password) =>
        new NpgsqlConnectionStringBuilder(database) { Username = role, Password = password }.ConnectionString;
}
