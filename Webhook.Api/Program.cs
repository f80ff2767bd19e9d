using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Webhook.Api;
using Webhook.Api.Events;
using Webhook.Api.Plugins;
using Webhook.Api.Telemetry;
using Webhook.Api.Webhooks;
using Webhook.Infrastructure;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddInfrastructure(builder.Configuration);
builder.Services.AddApi();
builder.Services.AddTelemetry(builder.Configuration);

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseSwaggerDocument();

app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false });
app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ApiRegistration.ReadyTag) });
app.MapWebhookEndpoints();
app.MapPluginEndpoints();
app.MapEventReceiverEndpoints();
app.MapEventEndpoints();
app.MapMetrics();

if (app.Services.GetRequiredService<IOptions<WebhookOptions>>().Value.ApplyMigrationsOnStart)
{
    await using var scope = app.Services.CreateAsyncScope();
    await scope.ServiceProvider.GetRequiredService<WebhookDbContext>().Database.MigrateAsync();
}

app.Run();

// The integration tests' WebApplicationFactory needs a public entry type.
public partial class Program;
