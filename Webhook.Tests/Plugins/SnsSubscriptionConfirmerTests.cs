using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Webhook.Plugins.AwsSns;
using Xunit;

namespace Webhook.Tests.Plugins;

/// <summary>
/// Every fetch here goes to a loopback server; real AWS hosts only ever meet the pure allow-list check.
/// </summary>
public sealed class SnsSubscriptionConfirmerTests : IAsyncLifetime
{
    private const string RealSubscribeUrl =
        "https://sns.ap-southeast-2.amazonaws.com/?Action=ConfirmSubscription&TopicArn=arn:aws:sns:ap-southeast-2:1234567890:t&Token=2336";

    private LoopbackServer sns = null!;

    public async Task InitializeAsync() => sns = await LoopbackServer.StartAsync();

    public async Task DisposeAsync() => await sns.DisposeAsync();

    private static (SnsSubscriptionConfirmer Confirmer, ServiceProvider Services) Confirmer(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>($"PluginHost:AwsSns:{s.Key}", s.Value)))
            .Build();
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddLogging()
            .AddAwsSns()
            .BuildServiceProvider();
        return (services.GetRequiredService<SnsSubscriptionConfirmer>(), services);
    }

    private static (string, string)[] LoopbackOnly(params (string, string)[] more) =>
        [("AllowedHosts:0", @"^127\.0\.0\.1$"), ("AllowHttp", "true"), .. more];

    private string SubscribeUrl => new Uri(sns.BaseAddress, "/?Action=ConfirmSubscription&Token=abc").ToString();

    [Fact]
    public async Task ConfirmAsync_AllowedLoopbackHost_FetchesSubscribeUrlOnce()
    {
        var (confirmer, services) = Confirmer(LoopbackOnly());
        using var _ = services;

        var outcome = await confirmer.ConfirmAsync(SubscribeUrl, CancellationToken.None);

        Assert.True(outcome.Confirmed, outcome.Reason);
        Assert.Equal(["GET /?Action=ConfirmSubscription&Token=abc"], sns.Requests);
    }

    [Fact]
    public async Task ConfirmAsync_HostNotAllowed_MakesNoRequest()
    {
        var (confirmer, services) = Confirmer(LoopbackOnly());
        using var _ = services;
        var viaLocalhostName = SubscribeUrl.Replace("127.0.0.1", "localhost", StringComparison.Ordinal);

        var outcome = await confirmer.ConfirmAsync(viaLocalhostName, CancellationToken.None);

        Assert.False(outcome.Confirmed);
        Assert.Contains("'localhost' is not an allowed SNS host", outcome.Reason);
        Assert.Empty(sns.Requests);
    }

    [Fact]
    public async Task ConfirmAsync_HttpWithoutAllowHttp_MakesNoRequest()
    {
        var (confirmer, services) = Confirmer(("AllowedHosts:0", @"^127\.0\.0\.1$"));
        using var _ = services;

        var outcome = await confirmer.ConfirmAsync(SubscribeUrl, CancellationToken.None);

        Assert.False(outcome.Confirmed);
        Assert.Contains("https only", outcome.Reason);
        Assert.Empty(sns.Requests);
    }

    [Fact]
    public async Task ConfirmAsync_SwitchedOff_MakesNoRequest()
    {
        var (confirmer, services) = Confirmer(LoopbackOnly(("ConfirmSubscriptions", "false")));
        using var _ = services;

        var outcome = await confirmer.ConfirmAsync(SubscribeUrl, CancellationToken.None);

        Assert.False(outcome.Confirmed);
        Assert.Empty(sns.Requests);
    }

    [Fact]
    public async Task ConfirmAsync_SnsAnswersError_NotConfirmedWithStatus()
    {
        var (confirmer, services) = Confirmer(LoopbackOnly());
        using var _ = services;
        sns.Status = 403;

        var outcome = await confirmer.ConfirmAsync(SubscribeUrl, CancellationToken.None);

        Assert.False(outcome.Confirmed);
        Assert.Contains("HTTP 403", outcome.Reason);
    }

    [Fact]
    public async Task ConfirmAsync_Redirect_NotFollowed()
    {
        var (confirmer, services) = Confirmer(LoopbackOnly());
        using var _ = services;
        sns.Status = 302;

        var outcome = await confirmer.ConfirmAsync(SubscribeUrl, CancellationToken.None);

        Assert.False(outcome.Confirmed);
        Assert.Single(sns.Requests);
    }

    [Fact]
    public async Task ConfirmAsync_SlowSns_GivesUpAfterTimeout()
    {
        var (confirmer, services) = Confirmer(LoopbackOnly(("FetchTimeoutSeconds", "0.3")));
        using var _ = services;
        sns.Delay = TimeSpan.FromSeconds(5);

        var started = DateTime.UtcNow;
        var outcome = await confirmer.ConfirmAsync(SubscribeUrl, CancellationToken.None);

        Assert.False(outcome.Confirmed);
        Assert.Contains("did not answer", outcome.Reason);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(3));
    }

    [Fact]
    public void Options_Defaults_AwsSnsOverHttpsFiveSecondsAnd64KbCertificates()
    {
        var (_, services) = Confirmer();
        using var _ = services;

        var options = services.GetRequiredService<IOptions<AwsSnsOptions>>().Value;

        Assert.Equal([@"^sns\.[a-z0-9-]+\.amazonaws\.com$"], options.EffectiveAllowedHosts);
        Assert.Equal(5, options.FetchTimeoutSeconds);
        Assert.Equal(65536, options.MaxCertificateBytes);
        Assert.False(options.AllowHttp);
        Assert.True(options.ConfirmSubscriptions);
    }

    [Theory]
    [InlineData(RealSubscribeUrl, null)]
    [InlineData("https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription", null)]
    [InlineData("http://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription", "scheme 'http' is not allowed")]
    [InlineData("https://sns.us-east-1.amazonaws.com.evil.example/?x", "is not an allowed SNS host")]
    [InlineData("https://evil.example/sns.us-east-1.amazonaws.com", "is not an allowed SNS host")]
    [InlineData("https://sns.us-east-1.amazonaws.com@evil.example/", "is not an allowed SNS host")]
    [InlineData("https://127.0.0.1/", "is not an allowed SNS host")]
    [InlineData("file:///etc/passwd", "scheme 'file' is not allowed")]
    [InlineData("sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription", "not an absolute URL")]
    [InlineData("/etc/passwd", "is not allowed")]
    [InlineData("", "no SubscribeURL")]
    public void Refusal_DefaultAllowList_OnlyRealSnsOverHttps(string url, string? refusal)
    {
        var reason = SnsUrlPolicy.Refusal(url, "SubscribeURL", new AwsSnsOptions());

        if (refusal is null)
        {
            Assert.Null(reason);
        }
        else
        {
            Assert.Contains(refusal, reason);
        }
    }

    [Fact]
    public void Refusal_TestAllowList_RejectsTheSamplesRealAwsHost()
    {
        var testOptions = new AwsSnsOptions { AllowedHosts = [@"^127\.0\.0\.1$"], AllowHttp = true };

        Assert.NotNull(SnsUrlPolicy.Refusal(RealSubscribeUrl, "SubscribeURL", testOptions));
    }

    [Fact]
    public void Options_InvalidPattern_FailsValidation()
    {
        var (_, services) = Confirmer(("AllowedHosts:0", "(unclosed"));
        using var _ = services;

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<AwsSnsOptions>>().Value);

        Assert.Contains("AllowedHosts", error.Message);
    }
}
