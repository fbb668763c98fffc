using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GithubEvents.Tests.Fakes;

/// <summary>
/// Kestrel on 127.0.0.1 and a free port, standing in for an internet service. Records every request and
/// answers with an outage's fault, or else with queued faults, before its normal behaviour.
/// </summary>
public abstract class FakeHttpServer : IAsyncLifetime
{
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly List<(string PathPrefix, Fault Fault)> _faults = [];
    private readonly Dictionary<string, Fault> _outages = new(StringComparer.Ordinal);
    private readonly Lock _faultLock = new();
    private WebApplication? _app;

    protected FakeHttpServer(TimeProvider? timeProvider = null)
    {
        Time = timeProvider ?? TimeProvider.System;
    }

    protected TimeProvider Time { get; }

    public Uri BaseAddress { get; private set; } = null!;

    public IReadOnlyList<RecordedRequest> Requests => _requests.ToArray();

    /// <summary>Answers the next <paramref name="times"/> requests whose path starts with the prefix with the fault.</summary>
    public void Fail(string pathPrefix, Fault fault, int times = 1)
    {
        lock (_faultLock)
        {
            _faults.AddRange(Enumerable.Repeat((pathPrefix, fault), times));
        }
    }

    /// <summary>Answers every request whose path starts with the prefix with the fault, until <see cref="EndOutage"/>.</summary>
    public void StartOutage(string pathPrefix, Fault fault)
    {
        lock (_faultLock)
        {
            _outages[pathPrefix] = fault;
        }
    }

    public void EndOutage(string pathPrefix)
    {
        lock (_faultLock)
        {
            _outages.Remove(pathPrefix);
        }
    }

    /// <summary>A client for this server that identifies itself, as every real client of these services must.</summary>
    public HttpClient CreateClient()
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        client.DefaultRequestHeaders.UserAgent.ParseAdd("GithubEvents.Tests (github-events-tests@example.org)");
        return client;
    }

    public async ValueTask InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.Use(async (context, next) =>
        {
            var request = await ReadAsync(context);
            _requests.Enqueue(request);
            try
            {
                if (NextFault(context.Request.Path) is { } fault)
                {
                    await WriteFaultAsync(context.Response, fault);
                    return;
                }

                await next(context);
            }
            finally
            {
                request.Status = context.Response.StatusCode;
            }
        });
        MapEndpoints(_app);
        await _app.StartAsync();

        var address = _app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        BaseAddress = new Uri(address.TrimEnd('/') + "/");
    }

    protected abstract void MapEndpoints(WebApplication app);

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    private async Task<RecordedRequest> ReadAsync(HttpContext context)
    {
        context.Request.EnableBuffering();
        var body = await new StreamReader(context.Request.Body, leaveOpen: true).ReadToEndAsync();
        context.Request.Body.Position = 0;
        return new RecordedRequest(
            Time.GetUtcNow(),
            context.Request.Method,
            context.Request.Path.Value ?? "",
            context.Request.QueryString.Value ?? "",
            context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            body);
    }

    private Fault? NextFault(PathString path)
    {
        lock (_faultLock)
        {
            foreach (var (prefix, outage) in _outages)
            {
                if (path.StartsWithSegments(prefix))
                {
                    return outage;
                }
            }

            var index = _faults.FindIndex(f => path.StartsWithSegments(f.PathPrefix));
            if (index < 0)
            {
                return null;
            }

            var fault = _faults[index].Fault;
            _faults.RemoveAt(index);
            return fault;
        }
    }

    /// <summary>Writes the fault after its delay; nothing when the client gives up first.</summary>
    protected static async Task WriteFaultAsync(HttpResponse response, Fault fault)
    {
        if (fault.Delay > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(fault.Delay, response.HttpContext.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        response.StatusCode = fault.Status;
        foreach (var (name, value) in fault.Headers)
        {
            response.Headers[name] = value;
        }

        response.ContentType = fault.ContentType;
        await response.WriteAsync(fault.Body);
    }
}
