using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Webhook.Plugins;
using Webhook.Tests.Plugins;

namespace Webhook.Tests.Fixtures;

/// <summary>
/// The API under test on a fresh PostgreSQL database, with its plugin registry pointing at the real plugin
/// host (started on a loopback port) and at a <see cref="FaultyPluginServer"/> for fault cases.
/// </summary>
public sealed class ApiFixture : IAsyncLifetime
{
    public static readonly string[] StandardPlugins =
        ["prometheus", "grafana", "aws-sns", "api-direct", "azure-monitor"];

    private WebApplication? _pluginHost;

    public TestDatabase Database { get; private set; } = null!;

    public FaultyPluginServer Faulty { get; private set; } = null!;

    /// <summary>Stands in for SNS: serves the certificate <see cref="SnsSigner"/> signs with.</summary>
    public LoopbackServer Sns { get; private set; } = null!;

    public SnsTestSigner SnsSigner { get; private set; } = null!;

    public string PluginHostUrl { get; private set; } = "";

    public WebhookApiFactory Factory { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync("webhook_api");
        Faulty = await FaultyPluginServer.StartAsync();
        Sns = await LoopbackServer.StartAsync();
        SnsSigner = new SnsTestSigner(Sns);
        // Only loopback SNS hosts are allowed: no test may ever reach AWS, even with a real SubscribeURL or SigningCertURL.
        _pluginHost = PluginHost.Build(
        [
            "--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default=Warning",
            "--PluginHost:AwsSns:AllowedHosts:0=^127\\.0\\.0\\.1$", "--PluginHost:AwsSns:AllowHttp=true",
        ]);
        await _pluginHost.StartAsync();
        PluginHostUrl = _pluginHost.Urls.First().TrimEnd('/');
        Factory = new WebhookApiFactory(Settings());
        Client = Factory.CreateClient();
    }

    /// <summary>A second API on the same database whose registry has extra settings (e.g. a newer version).</summary>
    public WebhookApiFactory FactoryWith(
        Dictionary<string, string?> extra, ILoggerProvider? logs = null, Action<IServiceCollection>? services = null)
    {
        var settings = Settings();
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }

        return new WebhookApiFactory(settings, logs, services);
    }

    private Dictionary<string, string?> Settings()
    {
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Webhook"] = Database.ConnectionString,
            ["Auth:SigningKey"] = TestTokens.SigningKeySetting,
            ["Auth:Issuer"] = TestTokens.Issuer,
            // Generous: a loaded CI machine must not turn a healthy plugin into a timeout. Timeout tests set their own.
            ["Webhook:PluginTimeoutSeconds"] = "5",
            ["Webhook:PluginRetries"] = "1",
            ["Webhook:PublicBaseUrl"] = "",
            // The parse worker: wake-ups are immediate anyway; short polls and backoff keep outage tests quick.
            ["Webhook:ParsePollIntervalMs"] = "100",
            ["Webhook:ParseRetryBaseSeconds"] = "0.2",
            ["Webhook:ParseRetryMaxSeconds"] = "0.5",
            // A payload the plugin fails while serving others is given up after this many tries (production: 10).
            ["Webhook:ParseMaxAttempts"] = "3",
            // The lease is sized to the batch: a smaller batch keeps a lost claim's return (database fault tests) short.
            ["Webhook:ParseBatchSize"] = "32",
            // Every test client shares one "address": denial limits are tested on factories of their own.
            ["Webhook:SenderDeniedPerMinute"] = "1000000",
            ["Plugins:plugin-test-ok:Name"] = "Test OK",
            ["Plugins:plugin-test-ok:Capability:supports"] = "everything",
            ["Plugins:plugin-test-ok:Versions:1.0.0"] = Faulty.Endpoint("ok"),
            ["Plugins:plugin-test-versions:Versions:1.0.0"] = Faulty.Endpoint("ok"),
            ["Plugins:plugin-test-versions:Versions:1.2.0"] = Faulty.Endpoint("ok-v12"),
            ["Plugins:plugin-test-fail:Versions:1.0.0"] = Faulty.Endpoint("fail"),
            ["Plugins:plugin-test-slow:Versions:1.0.0"] = Faulty.Endpoint("slow"),
            ["Plugins:plugin-test-reject:Versions:1.0.0"] = Faulty.Endpoint("reject"),
            ["Plugins:plugin-test-picky:Versions:1.0.0"] = Faulty.Endpoint("picky"),
            ["Plugins:plugin-test-down:Versions:1.0.0"] = Faulty.ClosedEndpoint,
        };
        foreach (var plugin in StandardPlugins)
        {
            settings[$"Plugins:plugin-{plugin}-mon-webhook:Versions:1.0.0"] = $"{PluginHostUrl}/{plugin}";
        }

        return settings;
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Factory.DisposeAsync();
        if (_pluginHost is not null)
        {
            await _pluginHost.DisposeAsync();
        }

        await Faulty.DisposeAsync();
        await Sns.DisposeAsync();
        SnsSigner.Dispose();
        await Database.DisposeAsync();
    }
}

/// <param name="logs">When given, receives every log entry at the levels appsettings.json sets (Microsoft.AspNetCore
/// at Warning), everything else down to Trace.</param>
/// <param name="services">Changes to the app's services, applied after the app's own registrations.</param>
public sealed class WebhookApiFactory(
    Dictionary<string, string?> settings, ILoggerProvider? logs = null, Action<IServiceCollection>? services = null)
    : WebApplicationFactory<Program>
{
    /// <summary>
    /// Every client starts with a <c>system</c> token holding all scopes (a console backend's service account), so
    /// tests that are not about auth read as before; auth tests set their own header.
    /// </summary>
    protected override void ConfigureClient(HttpClient client)
    {
        base.ConfigureClient(client);
        client.Authorized(TestTokens.System());
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        if (services is not null)
        {
            builder.ConfigureServices(services);
        }

        builder.ConfigureLogging(logging =>
        {
            if (UnhandledErrorLog.Path is not null)
            {
                logging.AddProvider(new UnhandledErrorLog());
            }

            if (logs is null)
            {
                logging.SetMinimumLevel(LogLevel.Warning);
                return;
            }

            logging.SetMinimumLevel(LogLevel.Trace);
            logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
            logging.AddProvider(logs);
        });
    }
}

[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<ApiFixture>
{
    public const string Name = "api";
}
