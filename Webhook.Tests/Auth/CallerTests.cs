using Microsoft.IdentityModel.JsonWebTokens;
using Webhook.Api.Auth;
using Webhook.Domain.Common;

namespace Webhook.Tests.Auth;

/// <summary>How a validated token becomes the caller, and the domain rules of DESIGN.md "Who may call".</summary>
public sealed class CallerTests
{
    [Fact]
    public void FromToken_ReadsClaimsAsSent()
    {
        var caller = Read(TestTokens.Create("domain-1", ["webhook:read", "event:read"], ["p1", "p2"], subject: "alice"));

        Assert.Equal("alice", caller.Subject);
        Assert.Equal("domain-1", caller.DomainId);
        Assert.Equal(["event:read", "webhook:read"], caller.Scopes.Order());
        Assert.Equal(["p1", "p2"], caller.Projects!);
        Assert.False(caller.IsSystem);
    }

    [Fact]
    public void FromToken_ProjectsAbsent_MeansAllProjects_EmptyMeansNone()
    {
        var all = Read(TestTokens.Create("domain-1"));
        var none = Read(TestTokens.Create("domain-1", projects: []));

        Assert.Null(all.Projects);
        Assert.NotNull(none.Projects);
        Assert.Empty(none.Projects);
        Assert.False(new AccessScope("domain-1", none.Projects).Covers("p1"));
        Assert.True(new AccessScope("domain-1", all.Projects).Covers("p1"));
    }

    [Theory]
    [InlineData("domain-1", false, null, "domain-1", null)]
    [InlineData("domain-1", false, "domain-1", "domain-1", null)]
    [InlineData("domain-1", false, "domain-2", null, "ERROR_PERMISSION_DENIED")]
    [InlineData(null, false, "domain-2", null, "ERROR_PERMISSION_DENIED")]
    [InlineData(null, false, null, null, "ERROR_REQUIRED_PARAMETER")]
    [InlineData("domain-1", true, "domain-2", "domain-2", null)]
    [InlineData(null, true, "domain-2", "domain-2", null)]
    [InlineData("domain-1", true, null, "domain-1", null)]
    [InlineData(null, true, null, null, "ERROR_REQUIRED_PARAMETER")]
    public void Resolve_AppliesTheDomainRules(string? tokenDomain, bool system, string? requested, string? resolved, string? refusal)
    {
        var caller = new Caller("sub", tokenDomain, new HashSet<string>(system ? ["system"] : ["webhook:read"]), ["p1"]);

        var problem = caller.Resolve(requested);

        Assert.Equal(refusal, problem?.ProblemDetails.Extensions["code"] as string);
        if (resolved is not null)
        {
            Assert.Equal(resolved, caller.Scope.DomainId);
            Assert.Same(caller.Projects, caller.Scope.Projects);
        }
        else
        {
            Assert.Throws<InvalidOperationException>(() => caller.Scope);
        }
    }

    private static Caller Read(string token) => Caller.FromToken(new JsonWebToken(token));
}
