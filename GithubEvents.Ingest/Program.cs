using GithubEvents.Ingest.Archive;

if (args is [BackfillCommand.Verb, .. var backfillArgs])
{
    return await BackfillCommand.RunAsync(backfillArgs);
}

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddEventPublishing();
builder.AddLivePolling();

var app = builder.Build();

app.MapDefaultEndpoints();

await app.RunAsync();
return 0;
