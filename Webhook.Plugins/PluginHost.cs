using Microsoft.AspNetCore.Diagnostics;
using Webhook.Plugins.ApiDirect;
using Webhook.Plugins.AwsSns;
using Webhook.Plugins.AzureMonitor;
using Webhook.Plugins.Grafana;
using Webhook.Plugins.Prometheus;

namespace Webhook.Plugins;

/// <summary>
/// Entry point of the standard plugin host. A namespaced class rather than top-level statements,
/// because the API project already owns the global <c>Program</c> and tests reference both.
/// </summary>
public static class PluginHost
{
    public static void Main(string[] args) => Build(args).Run();

    /// <summary>Configures the whole host; tests call this with <c>--urls http://127.0.0.1:0</c> and start it.</summary>
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            // The shared appsettings.json is copied next to the binaries, not into the project folder.
            ContentRootPath = HasContentRootArgument(args) ? null : AppContext.BaseDirectory,
        });

        builder.Services.AddPlugins();
        builder.Services.ConfigureHttpJsonOptions(options =>
        {
            options.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            options.SerializerOptions.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        });

        var app = builder.Build();
        app.UseExceptionHandler(errorApp => errorApp.Run(WriteUnexpectedErrorAsync));
        app.MapPluginEndpoints(app.Services.GetServices<IWebhookPlugin>());
        return app;
    }

    internal static IServiceCollection AddPlugins(this IServiceCollection services)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddAwsSns();
        services.AddSingleton<IWebhookPlugin, PrometheusPlugin>();
        services.AddSingleton<IWebhookPlugin, GrafanaPlugin>();
        services.AddSingleton<IWebhookPlugin, AwsSnsPlugin>();
        services.AddSingleton<IWebhookPlugin, ApiDirectPlugin>();
        services.AddSingleton<IWebhookPlugin, AzureMonitorPlugin>();
        return services;
    }

    private static bool HasContentRootArgument(string[] args) =>
        args.Any(a => a.Contains("contentRoot", StringComparison.OrdinalIgnoreCase))
        || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("ASPNETCORE_CONTENTROOT"));

    private static async Task WriteUnexpectedErrorAsync(HttpContext http)
    {
        // The exception itself was logged by the middleware; the body carries only the trace id.
        var traceId = System.Diagnostics.Activity.Current?.Id ?? http.TraceIdentifier;
        var feature = http.Features.Get<IExceptionHandlerFeature>();
        http.Response.StatusCode = feature?.Error is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError;
        var error = http.Response.StatusCode == StatusCodes.Status500InternalServerError
            ? new PluginError(PluginErrorCodes.Unknown, $"unexpected plugin error (trace id {traceId})")
            : new PluginError(PluginErrorCodes.InvalidRequest, "the request could not be read");
        await http.Response.WriteAsJsonAsync(error, http.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions);
    }
}
