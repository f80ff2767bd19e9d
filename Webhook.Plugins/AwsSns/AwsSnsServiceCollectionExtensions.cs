namespace Webhook.Plugins.AwsSns;

internal static class AwsSnsServiceCollectionExtensions
{
    /// <summary>The client for every fetch an SNS message causes (confirmations, signing certificates).</summary>
    public const string HttpClientName = "aws-sns";

    public static IServiceCollection AddAwsSns(this IServiceCollection services)
    {
        services.AddOptions<AwsSnsOptions>()
            .BindConfiguration(AwsSnsOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddHttpClient(HttpClientName)
            // A redirect could lead anywhere; only the allow-listed URL itself is fetched.
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false })
            .ConfigureHttpClient(client => client.Timeout = TimeSpan.FromSeconds(60));
        services.AddSingleton<SnsSubscriptionConfirmer>();
        services.AddSingleton<SnsCertificateStore>();
        services.AddSingleton<SnsMessageAuthenticator>();
        return services;
    }
}
