using GithubEvents.Enrich.Storage;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddNpgsqlDataSource("github-events");
builder.AddKafkaConsumer<string, byte[]>("kafka", kafka => kafka.Config.TryAdd("group.id", "github-events-enricher"));

builder.Services.AddOptions<ReaderRoleOptions>()
    .BindConfiguration(ReaderRoleOptions.SectionName)
    .ValidateDataAnnotations()
    .ValidateOnStart();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddHostedService<ReaderRoleSetup>();

var app = builder.Build();

app.MapDefaultEndpoints();

app.Run();
