using System.Diagnostics;

namespace Webhook.Tests.Auth;

/// <summary>scripts/dev-token.sh (bash + openssl) signs tokens the API accepts, with the claims its flags say.</summary>
[Collection(ApiCollection.Name)]
public sealed class DevTokenScriptTests(ApiFixture api)
{
    [Fact]
    public async Task DevToken_PrintsATokenTheApiAccepts_WithDomainProjectsAndScope()
    {
        var domain = ApiClientExtensions.NewDomain();
        await api.Client.CreateWebhookAsync(domain, "mine", projectId: "p1");
        await api.Client.CreateWebhookAsync(domain, "other", projectId: "p2");

        var reader = await DevTokenAsync("--domain", domain, "--projects", "p1", "--scope", "webhook:read", "--sub", "dev-user");
        var system = await DevTokenAsync("--system", "--ttl", "60");

        using var member = api.Factory.CreateClient().Authorized(reader);
        var listed = await (await member.GetAsync("/monitoring/v1/webhooks")).JsonAsync();
        Assert.Equal(1, (int?)listed["total_count"]);
        await (await member.PostAsJsonAsync("/monitoring/v1/events/search", new { })).ProblemAsync(HttpStatusCode.Forbidden, "ERROR_PERMISSION_DENIED");
        using var console = api.Factory.CreateClient().Authorized(system);
        var all = await (await console.GetAsync($"/monitoring/v1/webhooks?domain_id={domain}")).JsonAsync();
        Assert.Equal(2, (int?)all["total_count"]);
    }

    private static async Task<string> DevTokenAsync(params string[] args)
    {
        var script = Path.Combine(RepositoryRoot(), "scripts", "dev-token.sh");
        var start = new ProcessStartInfo("bash", [script, .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["Auth__SigningKey"] = TestTokens.SigningKeySetting, ["Auth__Issuer"] = TestTokens.Issuer },
        };
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, error);
        return output.Trim();
    }

    private static string RepositoryRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "Webhook.sln")))
        {
            folder = folder.Parent;
        }

        return folder?.FullName ?? throw new InvalidOperationException("Webhook.sln not found above the test output.");
    }
}
