using System.Security.Cryptography;
using Microsoft.AspNetCore.Authorization;
using Microsoft.IdentityModel.Tokens;
using Webhook.Api.Auth;

namespace Webhook.Tests.Auth;

/// <summary>DESIGN.md "Who may call": every management route, whatever it is, refuses a caller without the right token.</summary>
[Collection(ApiCollection.Name)]
public sealed class AuthenticationTests(ApiFixture api)
{
    public static TheoryData<string> BadTokens => new() { "none", "malformed", "bad signature", "expired", "wrong issuer", "wrong audience", "alg none" };

    [Fact]
    public void EveryManagementRoute_RequiresAScopePolicy_AndOnlyReceiverHealthAndMetricsAreAnonymous()
    {
        var endpoints = ManagementRoute.Endpoints(api.Factory.Services);

        var routes = ManagementRoute.All(api.Factory.Services);

        Assert.True(routes.Count >= 16, $"only {routes.Count} management routes found");
        foreach (var endpoint in endpoints)
        {
            var pattern = ManagementRoute.PatternOf(endpoint);
            var anonymous = endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null;
            var policies = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).ToList();
            if (ManagementRoute.IsAnonymousPattern(pattern))
            {
                Assert.True(anonymous || policies.Count == 0, $"{pattern} must stay anonymous");
            }
            else
            {
                Assert.False(anonymous, $"{pattern} allows anonymous callers");
                Assert.Contains(policies, p => Scopes.Policies.Contains(p));
            }
        }
    }

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task EveryManagementRoute_WithoutAValidToken_Answers401WithBearerChallenge(string kind)
    {
        var token = BadToken(kind);

        foreach (var route in ManagementRoute.All(api.Factory.Services))
        {
            using var client = api.Factory.CreateClient();
            client.DefaultRequestHeaders.Authorization = token is null ? null : new("Bearer", token);
            var response = await client.SendAsync(route.Request("domain-1"));

            var body = await response.ProblemAsync(HttpStatusCode.Unauthorized, "ERROR_AUTHENTICATE_FAILURE");
            Assert.StartsWith("Bearer", response.Headers.WwwAuthenticate.ToString());
            Assert.NotNull(body["detail"]);
        }
    }

    [Fact]
    public async Task EveryManagementRoute_WithoutItsScope_Answers403NamingTheScope()
    {
        foreach (var route in ManagementRoute.All(api.Factory.Services))
        {
            var token = TestTokens.Create("domain-1", TestTokens.AllScopes.Where(s => s != route.Scope));
            using var client = api.Factory.CreateClient().Authorized(token);

            var response = await client.SendAsync(route.Request("domain-1"));

            var body = await response.ProblemAsync(HttpStatusCode.Forbidden, "ERROR_PERMISSION_DENIED");
            Assert.Contains(route.Scope!, (string?)body["detail"]);
        }
    }

    [Fact]
    public async Task EveryDomainRoute_NamingAnotherDomainThanTheToken_Answers403()
    {
        var routes = ManagementRoute.All(api.Factory.Services).Where(r => r.NamesDomain).ToList();
        using var client = api.Factory.CreateClient().Authorized(TestTokens.User("domain-mine"));

        Assert.True(routes.Count >= 15, $"only {routes.Count} routes name a domain");
        foreach (var route in routes)
        {
            var response = await client.SendAsync(route.Request("domain-other"));

            await response.ProblemAsync(HttpStatusCode.Forbidden, "ERROR_PERMISSION_DENIED");
        }
    }

    [Fact]
    public async Task SystemToken_WithoutDomainAndRequestNamingNone_Answers400RequiredDomain()
    {
        using var client = api.Factory.CreateClient().Authorized(TestTokens.System());

        var response = await client.GetAsync("/monitoring/v1/webhooks");

        var body = await response.ProblemAsync(HttpStatusCode.BadRequest, "ERROR_REQUIRED_PARAMETER");
        Assert.Contains("domain_id", (string?)body["detail"]);
    }

    [Fact]
    public async Task SystemToken_MayNameAnyDomain()
    {
        var domain = ApiClientExtensions.NewDomain();
        using var client = api.Factory.CreateClient().Authorized(TestTokens.Create("domain-console", ["system", "webhook:write", "webhook:read"]));

        var created = await client.CreateWebhookAsync(domain);

        var listed = await (await client.GetAsync($"/monitoring/v1/webhooks?domain_id={domain}")).JsonAsync();
        Assert.Equal(domain, (string?)created["domain_id"]);
        Assert.Equal(1, (int?)listed["total_count"]);
    }

    [Fact]
    public async Task Receiver_IgnoresAuthorizationHeader_AndStaysAnonymous()
    {
        var domain = ApiClientExtensions.NewDomain();
        var webhook = await api.Client.CreateWebhookAsync(domain);
        using var client = api.Factory.CreateClient().Authorized("not-a-jwt");

        var response = await client.PostAsJsonAsync(new Uri((string)webhook["webhook_url"]!).PathAndQuery, new { a = 1 });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Swagger_HasTheBearerScheme_AndEveryManagementOperationDocuments401And403()
    {
        var document = await (await api.Client.GetAsync("/swagger/v1/swagger.json")).JsonAsync();

        Assert.Equal("bearer", (string?)document["components"]!["securitySchemes"]!["Bearer"]!["scheme"]);
        var operations = 0;
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, operation) in item!.AsObject().Where(o => o.Key is "get" or "put" or "post" or "delete" or "patch"))
            {
                if (ManagementRoute.IsAnonymousPattern(path))
                {
                    Assert.DoesNotContain("Bearer", operation!["security"]?.ToJsonString() ?? "");
                    continue;
                }

                operations++;
                Assert.True(operation!["responses"]?["401"] is not null, $"{method} {path} documents no 401");
                Assert.True(operation["responses"]?["403"] is not null, $"{method} {path} documents no 403");
                Assert.Contains("Bearer", operation["security"]!.ToJsonString());
            }
        }

        Assert.True(operations >= 16, $"only {operations} management operations documented");
    }

    private static string? BadToken(string kind) => kind switch
    {
        "none" => null,
        "malformed" => "not.a.jwt",
        "bad signature" => TestTokens.Create("domain-1", key: RandomNumberGenerator.GetBytes(32)),
        "expired" => TestTokens.Create("domain-1", expires: DateTime.UtcNow.AddMinutes(-5)),
        "wrong issuer" => TestTokens.Create("domain-1", issuer: "someone-else"),
        "wrong audience" => TestTokens.Create("domain-1", audience: "another-api"),
        "alg none" => Unsigned(TestTokens.Create("domain-1")),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>The same claims with <c>alg: none</c> and no signature: must never pass.</summary>
    private static string Unsigned(string token)
    {
        var parts = token.Split('.');
        return $"{Base64UrlEncoder.Encode("""{"alg":"none","typ":"JWT"}""")}.{parts[1]}.";
    }
}
