using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Webhook.Tests.Plugins;

/// <summary>
/// A tiny real HTTP server on 127.0.0.1 standing in for SNS: records every request it gets and
/// answers with a chosen status, optionally late, or with a file given to <see cref="Serve"/>.
/// </summary>
public sealed class LoopbackServer : IAsyncDisposable
{
    private readonly WebApplication app;

    private LoopbackServer(WebApplication app) => this.app = app;

    public ConcurrentQueue<string> Requests { get; } = new();

    public int Status { get; set; } = StatusCodes.Status200OK;

    public TimeSpan Delay { get; set; } = TimeSpan.Zero;

    public Uri BaseAddress { get; private set; } = null!;

    private ConcurrentDictionary<string, string> Files { get; } = new();

    /// <summary>Answers GET <paramref name="path"/> with 200 and <paramref name="body"/>; returns its URL.</summary>
    public Uri Serve(string path, string body)
    {
        Files[path] = body;
        return new Uri(BaseAddress, path);
    }

    public static async Task<LoopbackServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder(["--urls", "http://127.0.0.1:0"]);
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new LoopbackServer(app);
        app.Run(async context =>
        {
            server.Requests.Enqueue($"{context.Request.Method} {context.Request.Path}{context.Request.QueryString}");
            if (server.Files.TryGetValue(context.Request.Path, out var file))
            {
                await context.Response.WriteAsync(file);
                return;
            }

            if (server.Delay > TimeSpan.Zero)
            {
                await Task.Delay(server.Delay, context.RequestAborted);
            }

            context.Response.StatusCode = server.Status;
            if (server.Status is >= 300 and < 400)
            {
                context.Response.Headers.Location = "/redirected";
            }

            await context.Response.WriteAsync("<ConfirmSubscriptionResponse/>");
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseAddress = new Uri(address);
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
