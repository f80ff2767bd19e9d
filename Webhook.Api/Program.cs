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
app.UseAuthentication();
app.UseAuthorization();
app.UseSwagger();
app.UseSwaggerUI();

app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ApiRegistration.ReadyTag) })
    .AllowAnonymous();
app.MapWebhookEndpoints();
app.MapPluginEndpoints();
app.MapEventReceiverEndpoints();
app.MapEventEndpoints();
app.MapMetrics();

try
{
    // Settings are validated here, before anything is migrated or served.
    _ = app.Services.GetRequiredService<IOptions<AuthOptions>>().Value;
    if (app.Services.GetRequiredService<IOptions<WebhookOptions>>().Value.ApplyMigrationsOnStart)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<WebhookDbContext>().Database.MigrateAsync();
    }

    app.Run();
}
catch (OptionsValidationException invalid)
{
    // A setting the service cannot start with (e.g. no Auth outside Development): one line naming it, no stack.
    Console.Error.WriteLine(invalid.Message);
    return 1;
}

return 0;

// The integration tests' WebApplicationFactory needs a public entry type.
public partial class Program;
