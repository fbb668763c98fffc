var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddNpgsqlDataSource("github-events");
builder.AddKafkaConsumer<string, byte[]>("kafka", kafka => kafka.Config.TryAdd("group.id", "github-events-enricher"));

var app = builder.Build();

app.MapDefaultEndpoints();

app.Run();
