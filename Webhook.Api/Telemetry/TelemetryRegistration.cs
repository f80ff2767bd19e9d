using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Npgsql;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Webhook.Infrastructure.Telemetry;

namespace Webhook.Api.Telemetry;

/// <summary>
/// Metrics for Prometheus at <c>/metrics</c> (the service's own meter plus ASP.NET Core, runtime, HttpClient and
/// Npgsql), traces to OTLP when an endpoint is configured, and access keys kept out of every log line and span.
/// </summary>
internal static class TelemetryRegistration
{
    public const string MetricsPath = "/metrics";

    private static readonly string[] Unrecorded = [MetricsPath, "/healthz", "/readyz"];

    public static IServiceCollection AddTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<TelemetryOptions>().BindConfiguration(TelemetryOptions.SectionName);
        var options = configuration.GetSection(TelemetryOptions.SectionName).Get<TelemetryOptions>() ?? new TelemetryOptions();
        var otlpEndpoint = FirstNonEmpty(options.OtlpEndpoint, configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);

        services.Replace(ServiceDescriptor.Singleton<ILoggerFactory>(provider => new RedactingLoggerFactory(new LoggerFactory(
            provider.GetServices<ILoggerProvider>(),
            provider.GetRequiredService<IOptionsMonitor<LoggerFilterOptions>>(),
            provider.GetService<IOptions<LoggerFactoryOptions>>(),
            provider.GetService<IExternalScopeProvider>()))));

        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(options.ServiceName))
            .WithMetrics(metrics => metrics
                .AddMeter(WebhookMetrics.MeterName)
                .AddAspNetCoreInstrumentation()
                .AddMeter("System.Runtime", "System.Net.Http")
                .AddNpgsqlInstrumentation()
                .AddPrometheusExporter());

        // Without an exporter no span is recorded at all: a sampled request costs allocations nobody reads.
        if (otlpEndpoint is not null)
        {
            telemetry.WithTracing(tracing => tracing
                .AddWebhookSources()
                .AddOtlpExporter(exporter =>
                {
                    // Only our own key is set here: the OTEL_EXPORTER_OTLP_* variables are the exporter's to read.
                    if (!string.IsNullOrWhiteSpace(options.OtlpEndpoint))
                    {
                        exporter.Endpoint = new Uri(options.OtlpEndpoint);
                    }
                }));
        }

        return services;
    }

    /// <summary>What a trace holds: server spans (receiver paths redacted), plugin calls, and SQL statements.</summary>
    public static TracerProviderBuilder AddWebhookSources(this TracerProviderBuilder tracing) => tracing
        .AddAspNetCoreInstrumentation(aspNetCore =>
        {
            aspNetCore.Filter = http => !Unrecorded.Contains(http.Request.Path.Value, StringComparer.OrdinalIgnoreCase);
            aspNetCore.EnrichWithHttpRequest = (activity, request) =>
            {
                if (AccessKeyRedaction.MayHoldKey(request.Path.Value))
                {
                    activity.SetTag("url.path", AccessKeyRedaction.Redact(request.Path.Value!));
                }
            };
        })
        .AddSource("System.Net.Http")
        .AddNpgsql();

    /// <summary>Anonymous, like the health checks: scrapers carry no token.</summary>
    public static IEndpointConventionBuilder MapMetrics(this IEndpointRouteBuilder app) =>
        app.MapPrometheusScrapingEndpoint(MetricsPath).AllowAnonymous();

    private static string? FirstNonEmpty(params string?[] values) => values.FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));
}
