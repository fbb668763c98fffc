using GithubEvents.Enrich.Storage;

namespace GithubEvents.Tests.Enrich;

/// <summary>The storage paths a storage test runs on: plain PostgreSQL, and TimescaleDB where the test server has it.</summary>
public static class StoragePaths
{
    public static TheoryData<SchemaFlavor> Both => [SchemaFlavor.Postgres, SchemaFlavor.TimescaleDb];
}
