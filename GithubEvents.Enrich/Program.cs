using GithubEvents.Enrich.Storage;

// The schema alone, as its owner, then exit: a deployment's init container (docs/deployment.md#security).
if (args is [SchemaMigrationCommand.Name, ..])
{
    return await SchemaMigrationCommand.RunAsync(args[1..]);
}

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.MapDefaultEndpoints();

app.Run();
// DatabaseSetup sets the exit code when it stops the host (a changed migration, a schema that never came).
return Environment.ExitCode;
