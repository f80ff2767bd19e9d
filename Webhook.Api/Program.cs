using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Options;
using Webhook.Api;
using Webhook.Api.Audit;
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
app.UseSwaggerDocument();

app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ApiRegistration.ReadyTag) })
    .AllowAnonymous();
app.MapWebhookEndpoints();
app.MapPluginEndpoints();
app.MapEventReceiverEndpoints();
app.MapEventEndpoints();
app.MapAuditEndpoints();
app.MapMetrics();

try
{
    // Settings are validated here, before anything is migrated or served.
    _ = app.Services.GetRequiredService<IOptions<AuthOptions>>().Value;
    if (app.Services.GetRequiredService<IOptions<WebhookOptions>>().Value.ApplyMigrationsOnStart)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var database = scope.ServiceProvider.GetRequiredService<WebhookDbContext>().Database;
        // Npgsql's migrator finds out whether the history table exists by querying it, and logs the "does not exist"
        // failure as an error on every fresh database (npgsql/efcore.pg#3407). Creating it first with EF's own idempotent
        // DDL keeps that error category for real failures.
        if (await database.CanConnectAsync())
            await database.ExecuteSqlRawAsync(database.GetService<IHistoryRepository>().GetCreateIfNotExistsScript());
        await database.MigrateAsync();
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
