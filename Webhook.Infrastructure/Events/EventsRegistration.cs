using Microsoft.Extensions.DependencyInjection;
using Webhook.Domain.Events;
using Webhook.Infrastructure.Telemetry;

namespace Webhook.Infrastructure.Events;

internal static class EventsRegistration
{
    /// <summary>The receive queue and its writer, the parse worker and the event store replay uses.</summary>
    public static IServiceCollection AddEvents(this IServiceCollection services)
    {
        services.AddSingleton<IngestQueue>();
        services.AddSingleton<PendingRequests>();
        services.AddSingleton<WebhookMetrics>();
        services.AddSingleton<EventSignal>();
        services.AddSingleton<RecoverySignal>();
        services.AddSingleton<EventStore>();
        services.AddSingleton<IEventStore>(provider => provider.GetRequiredService<EventStore>());
        services.AddSingleton<EventParser>();
        services.AddHostedService<IngestWriter>();
        services.AddHostedService<ParseWorker>();
        services.AddHostedService<RequestListener>();
        services.AddSingleton<HeartbeatMonitor>();
        services.AddHostedService(provider => provider.GetRequiredService<HeartbeatMonitor>());
        return services;
    }
}
