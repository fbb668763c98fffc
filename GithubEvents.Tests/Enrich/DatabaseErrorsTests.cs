using System.Net.Sockets;
using GithubEvents.Enrich.Storage;
using Npgsql;

namespace GithubEvents.Tests.Enrich;

/// <summary>Which database errors are retried whole and which lead to the event that causes them, without a database.</summary>
public sealed class DatabaseErrorsTests
{
    [Theory]
    [InlineData("08006")] // connection failure
    [InlineData("53100")] // disk full
    [InlineData("53300")] // too many connections
    [InlineData("57P01")] // admin shutdown
    [InlineData("57P03")] // cannot connect now
    [InlineData("57014")] // statement timeout or cancel
    [InlineData("40001")] // serialization failure
    [InlineData("40P01")] // deadlock
    [InlineData("55P03")] // lock not available
    [InlineData("58030")] // I/O error
    [InlineData("25006")] // read-only transaction: a standby after a fail-over
    [InlineData("42P01")] // undefined table: a migration under way, or a restore
    [InlineData("42501")] // insufficient privilege
    [InlineData("28P01")] // password refused
    [InlineData("3D000")] // no such database
    public void The_server_s_connection_s_and_schema_s_state_is_transient(string sqlState) =>
        Assert.Equal(DatabaseErrorKind.Transient, DatabaseErrors.Classify(Refusal(sqlState), diskFull: false));

    [Theory]
    [InlineData("22021")] // character not in repertoire
    [InlineData("22P02")] // invalid text representation
    [InlineData("54000")] // program limit: a value too long for an index
    public void A_value_the_database_cannot_hold_is_refused_at_once(string sqlState) =>
        Assert.Equal(DatabaseErrorKind.RefusedValue, DatabaseErrors.Classify(Refusal(sqlState), diskFull: false));

    [Theory]
    [InlineData("23514")] // check violation
    [InlineData("23505")] // unique violation
    [InlineData("P0001")] // a trigger's RAISE
    [InlineData("XX001")] // data corrupted
    [InlineData("XX002")] // index corrupted
    [InlineData("XX000")] // internal error
    [InlineData("0A000")] // feature not supported
    public void What_an_event_can_cause_is_permanent(string sqlState) =>
        Assert.Equal(DatabaseErrorKind.Permanent, DatabaseErrors.Classify(Refusal(sqlState), diskFull: false));

    [Fact]
    public void An_internal_error_while_the_disk_is_full_is_the_full_disk()
    {
        Assert.Equal(DatabaseErrorKind.Transient, DatabaseErrors.Classify(Refusal("XX000"), diskFull: true));
        Assert.Equal(DatabaseErrorKind.Permanent, DatabaseErrors.Classify(Refusal("23514"), diskFull: true));
    }

    [Fact]
    public void Failures_to_reach_the_server_are_transient_and_other_client_failures_permanent()
    {
        Assert.Equal(DatabaseErrorKind.Transient, DatabaseErrors.Classify(new NpgsqlException("Exception while reading from stream", new TimeoutException()), false));
        Assert.Equal(DatabaseErrorKind.Transient, DatabaseErrors.Classify(new NpgsqlException("Failed to connect", new SocketException(111)), false));
        Assert.Equal(DatabaseErrorKind.Transient, DatabaseErrors.Classify(new TimeoutException("The pool is exhausted"), false));
        Assert.Equal(DatabaseErrorKind.Transient, DatabaseErrors.Classify(new InvalidOperationException("wrapped", new IOException("reset")), false));
        Assert.Equal(DatabaseErrorKind.Permanent, DatabaseErrors.Classify(new InvalidCastException("Can't write a value"), false));
    }

    private static PostgresException Refusal(string sqlState) => new("refused by the test", "ERROR", "ERROR", sqlState);
}
