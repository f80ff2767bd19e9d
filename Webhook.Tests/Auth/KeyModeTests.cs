using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace Webhook.Tests.Auth;

/// <summary>Both ways of trusting tokens (DESIGN.md "Who may call"), and refusing to start without either.</summary>
[Collection(ApiCollection.Name)]
public sealed class KeyModeTests(ApiFixture api)
{
    [Fact]
    public async Task AuthorityMode_AcceptsTokensSignedByTheIssuersJwks_RefusesOthers()
    {
        await using var issuer = await OpenIdIssuer.StartAsync();
        await using var factory = api.FactoryWith(new()
        {
            ["Auth:SigningKey"] = "",
            ["Auth:Issuer"] = "",
            ["Auth:Authority"] = issuer.Issuer,
            ["Auth:RequireHttpsMetadata"] = "false",
        });
        var domain = ApiClientExtensions.NewDomain();
        string Token(string iss, SigningCredentials? credentials = null) => TestTokens.Create(
            domain, ["webhook:read"], issuer: iss, credentials: credentials ?? issuer.Credentials);

        using var valid = factory.CreateClient().Authorized(Token(issuer.Issuer));
        using var otherKey = factory.CreateClient().Authorized(Token(issuer.Issuer, OtherRsaKey()));
        using var otherIssuer = factory.CreateClient().Authorized(Token("https://elsewhere.example"));
        using var sharedKey = factory.CreateClient().Authorized(TestTokens.Create(domain, ["webhook:read"], issuer: issuer.Issuer));

        var list = await (await valid.GetAsync($"/monitoring/v1/webhooks?domain_id={domain}")).JsonAsync();
        Assert.Equal(0, (int?)list["total_count"]);
        await (await otherKey.GetAsync("/monitoring/v1/webhooks")).ProblemAsync(HttpStatusCode.Unauthorized, "ERROR_AUTHENTICATE_FAILURE");
        await (await otherIssuer.GetAsync("/monitoring/v1/webhooks")).ProblemAsync(HttpStatusCode.Unauthorized, "ERROR_AUTHENTICATE_FAILURE");
        await (await sharedKey.GetAsync("/monitoring/v1/webhooks")).ProblemAsync(HttpStatusCode.Unauthorized, "ERROR_AUTHENTICATE_FAILURE");
        Assert.True(issuer.MetadataRequests >= 1);
    }

    [Fact]
    public async Task SigningKeyMode_RefusesATokenFromAnotherIssuerEvenWithTheRightKey()
    {
        using var client = api.Factory.CreateClient().Authorized(TestTokens.Create(issuer: "webhook-dev"));

        var response = await client.GetAsync("/monitoring/v1/plugins");

        await response.ProblemAsync(HttpStatusCode.Unauthorized, "ERROR_AUTHENTICATE_FAILURE");
    }

    [Fact]
    public async Task Start_OutsideDevelopmentWithoutAuthorityOrKey_ExitsWithOneLineNamingTheSetting()
    {
        var start = new ProcessStartInfo("dotnet", [typeof(Program).Assembly.Location, "--urls", "http://127.0.0.1:0"])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            Environment =
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Production",
                ["ConnectionStrings__Webhook"] = api.Database.ConnectionString,
                ["Auth__SigningKey"] = "",
                ["Auth__Authority"] = "",
            },
        };
        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));

        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        Assert.Equal(1, process.ExitCode);
        var lines = (await stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.Contains("Auth:Authority or Auth:SigningKey", lines[0]);
        Assert.DoesNotContain("Exception", await stdout + lines[0]);
    }

    [Fact]
    public async Task Start_InDevelopmentWithoutAuth_StartsButEveryManagementCallIs401()
    {
        await using var factory = api.FactoryWith(new() { ["Auth:SigningKey"] = "", ["Auth:Issuer"] = "" });
        using var client = factory.CreateClient();

        var response = await client.GetAsync("/monitoring/v1/plugins");

        await response.ProblemAsync(HttpStatusCode.Unauthorized, "ERROR_AUTHENTICATE_FAILURE");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
    }

    private static SigningCredentials OtherRsaKey() =>
        new(new RsaSecurityKey(RSA.Create(2048)) { KeyId = "key-1" }, SecurityAlgorithms.RsaSha256);

    private static string Messages(Exception e) => e.InnerException is null ? e.Message : e.Message + " | " + Messages(e.InnerException);
}
