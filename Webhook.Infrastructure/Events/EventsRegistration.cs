using Microsoft.Extensions.DependencyInjection;

namespace Webhook.Infrastructure.Events;

internal static class EventsRegistration
{
    /// <summary>The receive queue and its writer, the parse worker, and replay.</summary>
    public static IServiceCollection AddEvents(this IServiceCollection services)
    {
        services.AddSingleton<IngestQueue>();
        services.AddSingleton<EventSignal>();
        services.AddSingleton<EventStore>();
        services.AddSingleton<EventParser>();
        services.AddScoped<EventReplayer>();
        services.AddHostedService<IngestWriter>();
        services.AddHostedService<ParseWorker>();
        services.AddSingleton<HeartbeatMonitor>();
        services.AddHostedService(provider => provider.GetRequiredService<HeartbeatMonitor>());
        return services;
    }
}
