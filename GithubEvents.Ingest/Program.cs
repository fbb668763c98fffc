var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddKafkaProducer<string, byte[]>("kafka");

var app = builder.Build();

app.MapDefaultEndpoints();

app.Run();
