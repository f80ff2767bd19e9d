using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Webhook.Tests.Fixtures;

/// <summary>
/// A real plugin server on loopback that misbehaves on purpose, one behaviour per base path:
/// /ok (answers like a plugin, metadata names the path; parse answers no events), /ok-v2, /fail (HTTP 500), /slow (answers after
/// <see cref="SlowDelay"/>), /reject (HTTP 400 with a plugin error body), /picky (one event per payload, except
/// a payload whose <c>poison</c> member names a failure: "500", "garbage" (invalid JSON), "huge" (a 20 MB answer)). <see cref="ClosedEndpoint"/> is a
/// loopback port nobody listens on. Every call is counted per path.
/// </summary>
public sealed class FaultyPluginServer : IAsyncDisposable
{
    public static readonly TimeSpan SlowDelay = TimeSpan.FromSeconds(5);

    private readonly WebApplication _app;
    private readonly Dictionary<string, int> _calls = new();

    private FaultyPluginServer(WebApplication app, string baseUrl, string closedEndpoint)
    {
        _app = app;
        BaseUrl = baseUrl;
        ClosedEndpoint = closedEndpoint;
    }

    public string BaseUrl { get; }

    public string ClosedEndpoint { get; }

    public string Endpoint(string behaviour) => $"{BaseUrl}/{behaviour}";

    public int Calls(string path)
    {
        lock (_calls)
        {
            return _calls.GetValueOrDefault(path);
        }
    }

    public static async Task<FaultyPluginServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        FaultyPluginServer? server = null;

        app.MapPost("/{behaviour}/monitoring/plugin/v1/{*call}", async (string behaviour, string call, HttpContext http) =>
        {
            lock (server!._calls)
            {
                var key = $"{behaviour}/{call}";
                server._calls[key] = server._calls.GetValueOrDefault(key) + 1;
            }

            using var body = await JsonDocument.ParseAsync(http.Request.Body);
            switch (behaviour)
            {
                case "fail":
                    return Results.Json(new { code = "ERROR_INTERNAL", message = "boom" }, statusCode: 500);
                case "slow":
                    await Task.Delay(SlowDelay, http.RequestAborted);
                    return Results.Json(new { metadata = new { } });
                case "reject":
                    return Results.Json(
                        new { code = "ERROR_INVALID_PLUGIN_OPTIONS", message = "option 'token' is required" }, statusCode: 400);
                case "picky" when call == "event/parse":
                    return Picky(body.RootElement.GetProperty("data"));
                default:
                    var options = body.RootElement.TryGetProperty("options", out var o) ? o.Clone() : default;
                    return call switch
                    {
                        "webhook/init" => Results.Json(new { metadata = new { served_by = behaviour, options_seen = options } }),
                        "event/parse" => Results.Json(new { results = Array.Empty<object>() }),
                        _ => Results.Json(new { }),
                    };
            }
        });

        await app.StartAsync();
        server = new FaultyPluginServer(app, app.Urls.First().TrimEnd('/'), $"http://127.0.0.1:{FreePort()}/down");
        return server;
    }

    private static IResult Picky(JsonElement data)
    {
        var poison = data.ValueKind == JsonValueKind.Object && data.TryGetProperty("poison", out var p) ? p.GetString() : null;
        return poison switch
        {
            "500" => Results.Json(new { code = "ERROR_INTERNAL", message = "this payload breaks me" }, statusCode: 500),
            "garbage" => Results.Text("{\"results\": [{\"event_key\": ", "application/json"),
            "huge" => Results.Json(new { results = new[] { new { event_key = "k", title = new string('x', 20 * 1024 * 1024) } } }),
            _ => Results.Json(new
            {
                results = new[] { new { event_key = "picky-ok", event_type = "ALERT", title = "parsed", severity = "INFO" } },
            }),
        };
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
