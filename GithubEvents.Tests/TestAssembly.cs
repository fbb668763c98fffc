
// One PostgreSQL cluster and one Kafka mock cluster for the whole run; tests isolate themselves by
// database and topic name.
[assembly: AssemblyFixture(typeof(PostgresServer))]
[assembly: AssemblyFixture(typeof(KafkaMockCluster))]
