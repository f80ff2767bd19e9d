using Webhook.Domain.Common;
using Webhook.Domain.Plugins;
using Webhook.Domain.Webhooks;

namespace Webhook.Tests.Domain;

public sealed class PluginBinderTests
{
    private static readonly JsonElement Options = JsonSerializer.SerializeToElement(new { token = "a" });
    private static readonly JsonElement OtherOptions = JsonSerializer.SerializeToElement(new { token = "b" });
    private static readonly JsonElement OldMetadata = JsonSerializer.SerializeToElement(new { old = true });

    private readonly FakePluginGateway _gateway = new();
    private readonly PluginBinder _binder;

    public PluginBinderTests() => _binder = new PluginBinder(PluginCatalogTests.Catalog(), _gateway);

    private static Uri EndpointOf(string version) => PluginCatalogTests.Version(version).Endpoint;

    private static PluginBinding Bound(string version, UpgradeMode mode) => new("prometheus", version, Options, OldMetadata, mode);

    [Fact]
    public async Task BindNew_WithoutVersion_InitialisesTheNewestAndKeepsItsAnswer()
    {
        var (binding, capability) = await _binder.BindNewAsync("prometheus", null, Options, UpgradeMode.MANUAL, CancellationToken.None);

        Assert.Equal("1.10.0", binding.Version);
        Assert.Equal(UpgradeMode.MANUAL, binding.UpgradeMode);
        Assert.Equal(Options, binding.Options);
        Assert.Equal(FakePluginGateway.MetadataFor(EndpointOf("1.10.0")).GetRawText(), binding.Metadata.GetRawText());
        Assert.Equal("prometheus", capability.GetProperty("supported_schema")[0].GetString());
        Assert.Equal([("init", EndpointOf("1.10.0"), Options)], _gateway.Calls);
    }

    [Fact]
    public async Task BindNew_WithVersion_InitialisesThatVersion()
    {
        var (binding, _) = await _binder.BindNewAsync("prometheus", "1.2.0", Options, UpgradeMode.AUTO, CancellationToken.None);

        Assert.Equal("1.2.0", binding.Version);
        Assert.Equal(EndpointOf("1.2.0"), Assert.Single(_gateway.Calls).Endpoint);
    }

    [Fact]
    public async Task BindNew_WhenPluginOrVersionUnknown_FailsWithoutCallingThePlugin()
    {
        var plugin = await Assert.ThrowsAsync<DomainException>(
            () => _binder.BindNewAsync("nagios", null, Options, UpgradeMode.AUTO, CancellationToken.None));
        var version = await Assert.ThrowsAsync<DomainException>(
            () => _binder.BindNewAsync("prometheus", "9.9.9", Options, UpgradeMode.AUTO, CancellationToken.None));

        Assert.Equal(ErrorCodes.PluginNotFound, plugin.Code);
        Assert.Equal(ErrorCodes.PluginVersionNotFound, version.Code);
        Assert.Empty(_gateway.Calls);
    }

    [Fact]
    public async Task BindNew_WhenInitFails_PassesTheFailureOn()
    {
        _gateway.Failure = new PluginRejectedException("token is wrong");

        var error = await Assert.ThrowsAsync<PluginRejectedException>(
            () => _binder.BindNewAsync("prometheus", null, Options, UpgradeMode.AUTO, CancellationToken.None));

        Assert.Equal("token is wrong", error.Message);
    }

    [Fact]
    public async Task Rebind_WithNothingGiven_ManualKeepsItsVersionAndOptions_ButReinitialises()
    {
        var binding = await _binder.RebindAsync(Bound("1.2.0", UpgradeMode.MANUAL), null, null, null, CancellationToken.None);

        Assert.Equal("1.2.0", binding.Version);
        Assert.Equal(Options, binding.Options);
        Assert.Equal(UpgradeMode.MANUAL, binding.UpgradeMode);
        Assert.Equal(FakePluginGateway.MetadataFor(EndpointOf("1.2.0")).GetRawText(), binding.Metadata.GetRawText());
    }

    [Fact]
    public async Task Rebind_WithoutVersion_AutoMovesToTheNewest()
    {
        var binding = await _binder.RebindAsync(Bound("1.2.0", UpgradeMode.MANUAL), "", null, UpgradeMode.AUTO, CancellationToken.None);

        Assert.Equal("1.10.0", binding.Version);
        Assert.Equal(UpgradeMode.AUTO, binding.UpgradeMode);
    }

    [Fact]
    public async Task Rebind_WithVersionAndOptions_UsesBothEvenWhenAuto()
    {
        var binding = await _binder.RebindAsync(Bound("1.10.0", UpgradeMode.AUTO), "1.9.0", OtherOptions, null, CancellationToken.None);

        Assert.Equal("1.9.0", binding.Version);
        Assert.Equal(OtherOptions, binding.Options);
        Assert.Equal(("init", EndpointOf("1.9.0"), OtherOptions), Assert.Single(_gateway.Calls));
    }

    [Fact]
    public async Task UpgradeIfDue_AutoBehind_InitialisesTheNewestWithTheStoredOptions()
    {
        var upgraded = await _binder.UpgradeIfDueAsync(Bound("1.9.0", UpgradeMode.AUTO), CancellationToken.None);

        Assert.NotNull(upgraded);
        Assert.Equal("1.10.0", upgraded.Version);
        Assert.Equal(Options, upgraded.Options);
        Assert.Equal(FakePluginGateway.MetadataFor(EndpointOf("1.10.0")).GetRawText(), upgraded.Metadata.GetRawText());
    }

    [Theory]
    [InlineData("1.10.0", UpgradeMode.AUTO)]
    [InlineData("1.2.0", UpgradeMode.MANUAL)]
    public async Task UpgradeIfDue_WhenNewestOrManual_ChangesNothingAndCallsNoPlugin(string version, UpgradeMode mode)
    {
        var upgraded = await _binder.UpgradeIfDueAsync(Bound(version, mode), CancellationToken.None);

        Assert.Null(upgraded);
        Assert.Empty(_gateway.Calls);
    }

    [Fact]
    public void EndpointOf_WhenTheVersionLeftTheRegistry_ThrowsVersionNotFound()
    {
        var error = Assert.Throws<DomainException>(() => _binder.EndpointOf(Bound("0.1.0", UpgradeMode.MANUAL)));

        Assert.Equal(ErrorCodes.PluginVersionNotFound, error.Code);
    }

    [Fact]
    public async Task Verify_CallsTheBoundVersionWithTheStoredOptions()
    {
        await _binder.VerifyAsync(Bound("1.9.0", UpgradeMode.MANUAL), CancellationToken.None);

        Assert.Equal(("verify", EndpointOf("1.9.0"), Options), Assert.Single(_gateway.Calls));
    }

    [Fact]
    public async Task Verify_WhenThePluginIsDown_PassesTheFailureOn()
    {
        _gateway.Failure = new PluginUnavailableException("timed out");

        await Assert.ThrowsAsync<PluginUnavailableException>(
            () => _binder.VerifyAsync(Bound("1.9.0", UpgradeMode.MANUAL), CancellationToken.None));
    }
}
