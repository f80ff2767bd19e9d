using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Npgsql;
using Polly;
using Webhook.Domain.Common;
using Webhook.Domain.Plugins;
using Webhook.Infrastructure.Events;
using Webhook.Infrastructure.Plugins;
using Webhook.Infrastructure.Querying;
using Webhook.Infrastructure.Retention;
using Webhook.Infrastructure.Senders;

namespace Webhook.Infrastructure;

public static class InfrastructureRegistration
{
    public const string ConnectionStringName = "Webhook";

    /// <summary>
    /// The key of the query side's data source (searches, statistics, gets): its own pool and a statement timeout,
    /// so no amount of query load can take the connections ingestion and parsing need (the unkeyed source).
    /// </summary>
    public const string QueryDataSource = "query";

    public static IServiceCollection AddInfrastructure(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WebhookOptions>()
            .BindConfiguration(WebhookOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        // Named, so Npgsql's metrics label its pools "webhook" and "webhook-query" instead of the connection string.
        services.AddSingleton(_ => new NpgsqlDataSourceBuilder(WithPerformanceDefaults(ConnectionString(configuration), autoPrepare: false))
            { Name = "webhook" }
            .Build());
        services.AddKeyedSingleton(QueryDataSource, (provider, _) =>
        {
            var options = provider.GetRequiredService<IOptions<WebhookOptions>>().Value;
            var builder = new NpgsqlConnectionStringBuilder(WithPerformanceDefaults(ConnectionString(configuration), autoPrepare: true))
            {
                MaxPoolSize = options.QueryMaxConnections,
                // The server's limit decides; the client's only catches a server that stopped answering.
                CommandTimeout = (int)Math.Ceiling(options.QueryTimeoutSeconds) + 5,
            };
            var timeoutMs = (long)Math.Ceiling(options.QueryTimeoutSeconds * 1000);
            builder.Options = $"{builder.Options} -c statement_timeout={timeoutMs}".Trim();
            return new NpgsqlDataSourceBuilder(builder.ConnectionString) { Name = "webhook-query" }.Build();
        });
        services.AddDbContextPool<WebhookDbContext>((provider, options) => options
            .UseNpgsql(provider.GetRequiredService<NpgsqlDataSource>())
            .UseSnakeCaseNamingConvention());

        services.AddSingleton(_ => PluginCatalogLoader.Load(configuration));
        services.AddSingleton<IIdGenerator, RandomIdGenerator>();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<IPluginGateway, RefitPluginGateway>();
        services.AddSingleton(provider => new QueryExecutor(
            provider.GetRequiredKeyedService<NpgsqlDataSource>(QueryDataSource),
            provider.GetRequiredService<IOptions<WebhookOptions>>().Value.MaxResults));
        var pluginClient = services.AddHttpClient(RefitPluginGateway.HttpClientName);
        pluginClient.AddResilienceHandler("plugin-calls", (pipeline, context) =>
            {
                var options = context.ServiceProvider.GetRequiredService<IOptions<WebhookOptions>>().Value;
                var attempt = TimeSpan.FromSeconds(options.PluginTimeoutSeconds);
                // No circuit breaker: one misbehaving plugin endpoint must not cut off the others.
                pipeline
                    .AddTimeout(attempt * (options.PluginRetries + 1) + TimeSpan.FromSeconds(options.PluginRetries))
                    .AddRetry(new HttpRetryStrategyOptions
                    {
                        MaxRetryAttempts = Math.Max(options.PluginRetries, 1),
                        ShouldHandle = options.PluginRetries == 0
                            ? _ => ValueTask.FromResult(false)
                            : new HttpRetryStrategyOptions().ShouldHandle,
                        BackoffType = DelayBackoffType.Exponential,
                        UseJitter = true,
                        Delay = TimeSpan.FromMilliseconds(200),
                    })
                    .AddTimeout(attempt);
            });
        // Inside the resilience pipeline: an answer over the limit is not retried, it is the answer.
        pluginClient.AddHttpMessageHandler(provider => new AnswerSizeLimitHandler(
                provider.GetRequiredService<IOptions<WebhookOptions>>().Value.MaxPluginAnswerBytes));
        services.AddSingleton(provider => new Domain.Events.ParseLimits(
            provider.GetRequiredService<IOptions<WebhookOptions>>().Value.MaxEventsPerRequest));

        services.AddSingleton<SenderLimits>();
        services.AddSingleton<IngestBudget>();
        services.AddEvents();
        services.AddRetention();
        return services;
    }

    private static string ConnectionString(IConfiguration configuration) =>
        configuration.GetConnectionString(ConnectionStringName)
        ?? throw new InvalidOperationException($"ConnectionStrings:{ConnectionStringName} is not set.");

    /// <summary>
    /// Pooled connections are not wiped (DISCARD ALL) each time they are returned: no code here sets session state.
    /// With <paramref name="autoPrepare"/> (the query side, whose searches and gets repeat the same few statements),
    /// Npgsql also prepares the frequent statements once per physical connection. Not on the main source: there a
    /// value PostgreSQL refuses while binding (a NUL in text, a \u0000 in jsonb; both can come from callers and
    /// senders) in the round trip that auto-prepares the statement left the connection out of step, and the next
    /// query on it failed with "unexpected backend message" (PoolPoisonTests). Its hot statements are prepared
    /// explicitly instead, which survives such a refusal. A connection string that sets any of these keys wins.
    /// </summary>
    internal static string WithPerformanceDefaults(string connectionString, bool autoPrepare)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        bool Given(params string[] keys) => keys.Any(given.ContainsKey);
        if (autoPrepare && !Given("Max Auto Prepare", "MaxAutoPrepare"))
        {
            builder.MaxAutoPrepare = 64;
        }

        if (autoPrepare && !Given("Auto Prepare Min Usages", "AutoPrepareMinUsages"))
        {
            builder.AutoPrepareMinUsages = 2;
        }

        if (!Given("No Reset On Close", "NoResetOnClose"))
        {
            builder.NoResetOnClose = true;
        }

        return builder.ConnectionString;
    }
}
