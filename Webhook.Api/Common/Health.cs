using Microsoft.Extensions.Diagnostics.HealthChecks;
using Webhook.Infrastructure;

namespace Webhook.Api.Common;

/// <summary>Ready means the database answers and has every migration this build knows.</summary>
internal sealed class MigrationsAppliedCheck(WebhookDbContext db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        return pending.Count == 0
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy($"Pending migrations: {string.Join(", ", pending)}");
    }
}
