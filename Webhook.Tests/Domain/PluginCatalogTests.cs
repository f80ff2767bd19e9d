using Webhook.Domain.Common;
using Webhook.Domain.Plugins;
using Webhook.Domain.Webhooks;

namespace Webhook.Tests.Domain;

public sealed class PluginCatalogTests
{
    internal static PluginCatalog Catalog() => new(
    [
        new PluginDescriptor(
            "prometheus",
            "Prometheus",
            JsonSerializer.SerializeToElement(new { supported_schema = new[] { "prometheus" } }),
            [Version("1.9.0"), Version("1.10.0"), Version("1.2.0")]),
        new PluginDescriptor("grafana", "Grafana", JsonSerializer.SerializeToElement(new { }), [Version("1.0.0")]),
    ]);

    internal static PluginVersion Version(string version) => new(version, new Uri($"http://127.0.0.1/plugins/{version}/"));

    [Fact]
    public void Constructor_KeepsEachPluginsVersionsNewestFirst()
    {
        var plugin = Catalog().Get("prometheus");

        Assert.Equal(["1.10.0", "1.9.0", "1.2.0"], plugin.Versions.Select(v => v.Version));
        Assert.Equal("1.10.0", plugin.Newest.Version);
    }

    [Fact]
    public void All_ListsPluginsByPluginId()
    {
        Assert.Equal(["grafana", "prometheus"], Catalog().All.Select(p => p.PluginId));
    }

    [Fact]
    public void Get_WhenPluginUnknown_ThrowsPluginNotFoundNamingTheKey()
    {
        var error = Assert.Throws<DomainException>(() => Catalog().Get("nagios"));

        Assert.Equal(ErrorCodes.PluginNotFound, error.Code);
        Assert.Equal("plugin_info.plugin_id", error.Key);
        Assert.Contains("nagios", error.Message);
    }

    [Fact]
    public void Get_IsCaseSensitive()
    {
        Assert.Throws<DomainException>(() => Catalog().Get("Prometheus"));
    }

    [Theory]
    [InlineData(null, "1.10.0")]
    [InlineData("", "1.10.0")]
    [InlineData("1.2.0", "1.2.0")]
    public void Resolve_WithoutVersionGivesTheNewest_WithOneGivesThatOne(string? asked, string expected)
    {
        var version = Catalog().Resolve("prometheus", asked);

        Assert.Equal(expected, version.Version);
        Assert.Equal(Version(expected).Endpoint, version.Endpoint);
    }

    [Fact]
    public void Resolve_WhenVersionUnknown_ThrowsVersionNotFoundNamingTheKey()
    {
        var error = Assert.Throws<DomainException>(() => Catalog().Resolve("prometheus", "3.0.0"));

        Assert.Equal(ErrorCodes.PluginVersionNotFound, error.Code);
        Assert.Equal("plugin_info.version", error.Key);
        Assert.Contains("version = 3.0.0", error.Message);
    }

    [Fact]
    public void Resolve_WhenPluginUnknown_ThrowsPluginNotFound()
    {
        var error = Assert.Throws<DomainException>(() => Catalog().Resolve("nagios", "1.0.0"));

        Assert.Equal(ErrorCodes.PluginNotFound, error.Code);
    }

    [Fact]
    public void UpgradeFor_AutoBehindTheNewest_GivesTheNewest()
    {
        var upgrade = Catalog().UpgradeFor("prometheus", "1.9.0", UpgradeMode.AUTO);

        Assert.Equal("1.10.0", upgrade?.Version);
    }

    [Theory]
    [InlineData("prometheus", "1.10.0", UpgradeMode.AUTO)]
    [InlineData("prometheus", "1.11.0", UpgradeMode.AUTO)]
    [InlineData("prometheus", "1.2.0", UpgradeMode.MANUAL)]
    [InlineData("nagios", "1.0.0", UpgradeMode.AUTO)]
    public void UpgradeFor_WhenNothingNewerOrManualOrUnknown_GivesNull(string pluginId, string stored, UpgradeMode mode)
    {
        Assert.Null(Catalog().UpgradeFor(pluginId, stored, mode));
    }
}
