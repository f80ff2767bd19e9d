using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Webhook.Plugins;
using Xunit;

namespace Webhook.Tests.Plugins;

/// <summary>
/// The real plugin host on Kestrel over loopback, with a loopback "SNS" server as the only host it may fetch
/// a SubscribeURL or a signing certificate from.
/// </summary>
public sealed class PluginHostFixture : IAsyncLifetime
{
    private WebApplication host = null!;

    public LoopbackServer Sns { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    /// <summary>Signs SNS messages with a certificate served by <see cref="Sns"/>.</summary>
    public SnsTestSigner Signer { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Sns = await LoopbackServer.StartAsync();
        Signer = new SnsTestSigner(Sns);
        host = PluginHost.Build(
        [
            "--urls", "http://127.0.0.1:0",
            "--PluginHost:AwsSns:AllowedHosts:0", @"^127\.0\.0\.1$",
            "--PluginHost:AwsSns:AllowHttp", "true",
            "--PluginHost:AwsSns:FetchTimeoutSeconds", "2",
            "--Logging:LogLevel:Default", "Warning",
        ]);
        await host.StartAsync();
        Client = new HttpClient { BaseAddress = new Uri(host.Urls.First()) };
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await host.StopAsync();
        await host.DisposeAsync();
        await Sns.DisposeAsync();
        Signer.Dispose();
    }

    public Task<HttpResponseMessage> PostJsonAsync(string path, JsonNode body) =>
        Client.PostAsync(path, new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));

    public Task<HttpResponseMessage> PostRawAsync(string path, string body, string contentType = "application/json") =>
        Client.PostAsync(path, new StringContent(body, Encoding.UTF8, contentType));

    public static async Task<JsonObject> BodyAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonObject>())!;
}

[CollectionDefinition(Name)]
public sealed class PluginHostCollection : ICollectionFixture<PluginHostFixture>
{
    public const string Name = "plugin host";
}
