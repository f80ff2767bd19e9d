using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Webhook.Infrastructure.Querying;

namespace Webhook.Infrastructure.Events;

internal static class EventsRegistration
{
    /// <summary>The receive queue and its writer, the parse worker, and replay.</summary>
    public static IServiceCollection AddEvents(this IServiceCollection services)
    {
        // The events API reads through the query executor; TryAdd, as the webhook side may register it too.
        services.TryAddSingleton<QueryExecutor>();
        services.AddSingleton<IngestQueue>();
        services.AddSingleton<EventSignal>();
        services.AddSingleton<EventStore>();
        services.AddSingleton<EventParser>();
        services.AddScoped<EventReplayer>();
        services.AddHostedService<IngestWriter>();
        services.AddHostedService<ParseWorker>();
        return services;
    }
}
