using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.Json;
using Webhook.Api.Common;
using Webhook.Api.Events;
using Webhook.Api.Webhooks;
using Webhook.Domain.Plugins;
using Webhook.Domain.Webhooks;
using Webhook.Infrastructure;

namespace Webhook.Api;

internal static class ApiRegistration
{
    public const string ReadyTag = "ready";

    public static IServiceCollection AddApi(this IServiceCollection services)
    {
        services.ConfigureHttpJsonOptions(options => ConfigureJson(options.SerializerOptions));
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);

        ValidationExtensions.NameFieldsAsOnTheWire();
        // Singletons: our validators are stateless, and building one (RuleFor parses expression trees) cost more
        // CPU than the rest of a GET by id once the validation filter resolved a fresh one per request.
        services.AddValidatorsFromAssemblyContaining<Program>(ServiceLifetime.Singleton, includeInternalTypes: true);

        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            context.ProblemDetails.Extensions["trace_id"] = Problems.TraceId(context.HttpContext);
            // Answers the framework makes itself (415 wrong content type, 405, 404 of an unknown route) get a code too.
            context.ProblemDetails.Extensions.TryAdd("code", Problems.CodeOf(context.ProblemDetails.Status ?? 500));
        });
        services.AddExceptionHandler<ApiExceptionHandler>();
        services.AddApiAuth();

        services.AddScoped<PluginBinder>();
        services.AddScoped<WebhookReader>();
        services.AddScoped<WebhookChanges>();
        services.AddScoped<EventReader>();
        services.AddScoped<Audit.AuditReader>();
        services.AddScoped<Audit.AuditLog>();
        services.AddScoped<EventReplayer>();
        services.AddScoped<WebhookTester>();

        services.AddHealthChecks()
            .AddDbContextCheck<WebhookDbContext>(tags: [ReadyTag])
            .AddCheck<MigrationsAppliedCheck>("migrations", tags: [ReadyTag]);

        services.AddEndpointsApiExplorer();
        services.AddSwagger();
        return services;
    }

    /// <summary>Strict snake_case JSON: unknown or repeated fields and wrong types are errors, never ignored.</summary>
    public static void ConfigureJson(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.AllowDuplicateProperties = false;
        options.NumberHandling = JsonNumberHandling.Strict;
        options.Converters.Add(new StrictEnumConverter<UpgradeModeRequest>());
        options.Converters.Add(new StrictEnumConverter<WebhookStateFilter>());
        options.Converters.Add(new StrictEnumConverter<WebhookState>());
        options.Converters.Add(new StrictEnumConverter<UpgradeMode>());
        options.Converters.Add(new StrictEnumConverter<HeartbeatState>());
    }
}
