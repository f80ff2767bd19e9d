using Microsoft.Extensions.DependencyInjection;

namespace Webhook.Infrastructure.Retention;

internal static class RetentionRegistration
{
    /// <summary>The retention settings and the job that applies them (and makes event partitions ahead).</summary>
    public static IServiceCollection AddRetention(this IServiceCollection services)
    {
        services.AddOptions<RetentionOptions>()
            .BindConfiguration(RetentionOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddHostedService<StorageMaintenance>();
        return services;
    }
}
