using Npgsql;

namespace GithubEvents.Tests.Infrastructure;

public sealed class PostgresServerTests(PostgresServer postgres)
{
    [Fact]
    public async Task Each_test_database_is_isolated_from_the_others()
    {
        var first = await postgres.CreateDatabaseAsync();
        var second = await postgres.CreateDatabaseAsync();

        await Sql.ExecuteAsync(first, "CREATE TABLE marker (id int); INSERT INTO marker VALUES (1);");

        Assert.Equal(1L, await Sql.ScalarAsync(first, "SELECT count(*) FROM marker"));
        Assert.Equal(0L, await Sql.ScalarAsync(second, "SELECT count(*) FROM pg_tables WHERE tablename = 'marker'"));
    }

    [Fact]
    public async Task A_stopped_server_refuses_connections_and_serves_its_data_again_after_a_restart()
    {
        await using var server = new PostgresServer();
        await server.InitializeAsync();
        var database = await server.CreateDatabaseAsync();
        await Sql.ExecuteAsync(database, "CREATE TABLE kept (id int); INSERT INTO kept VALUES (7);");

        await server.StopAsync();
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => Sql.ScalarAsync(database, "SELECT 1"));

        await server.StartAsync();
        Assert.Equal(7, await Sql.ScalarAsync(database, "SELECT id FROM kept"));
    }
}
